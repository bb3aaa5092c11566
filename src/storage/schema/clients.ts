import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns.js';

/** Registered applications. No secret hash means a public client (SPEC §3). */
export const clients = sqliteTable('clients', {
  clientId: text('client_id').primaryKey(),
  name: text('name').notNull(),
  secretHash: text('secret_hash'),
  redirectUris: text('redirect_uris', { mode: 'json' }).$type<string[]>().notNull(),
  grantTypes: text('grant_types', { mode: 'json' }).$type<string[]>().notNull(),
  scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
  ...timestamps,
});
