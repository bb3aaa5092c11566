import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Facts about the database itself. `seed_digest` is the digest of the seed last applied; triggers
 * (migrations/0002_seed_digest_triggers.sql) delete it whenever users, organizations or clients
 * change by any other way, so an unchanged seed on an unchanged database is not applied again.
 */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
