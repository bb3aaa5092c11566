import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './columns.js';

/** RS256 keys: one active signer; retired keys stay published so live tokens still verify. */
export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: text('public_jwk', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  privateKeyPem: text('private_key_pem').notNull(),
  status: text('status', { enum: ['active', 'retired'] }).notNull(),
  createdAt: instant('created_at').notNull(),
  retiredAt: instant('retired_at'),
});
