import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './columns.js';
import { clients } from './clients.js';
import { users } from './accounts.js';

/** RFC 8628 device authorizations: the device code as SHA-256, the user code as issued. */
export const deviceCodes = sqliteTable('device_codes', {
  deviceCodeHash: text('device_code_hash').primaryKey(),
  userCode: text('user_code').notNull().unique(),
  clientId: text('client_id').notNull().references(() => clients.clientId, { onDelete: 'cascade' }),
  scope: text('scope').notNull(),
  status: text('status', { enum: ['pending', 'approved', 'denied', 'used'] }).notNull(),
  userUuid: text('user_uuid').references(() => users.uuid, { onDelete: 'cascade' }),
  familyId: text('family_id').notNull(),
  intervalSeconds: integer('interval_seconds').notNull(),
  lastPolledAt: instant('last_polled_at'),
  issuedAt: instant('issued_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  decidedAt: instant('decided_at'),
});
