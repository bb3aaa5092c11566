import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './columns.js';
import { users } from './accounts.js';

/** Failed logins per account: the lockout of SPEC §7 is computed from the last five. */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userUuid: text('user_uuid').notNull().references(() => users.uuid, { onDelete: 'cascade' }),
    failedAt: instant('failed_at').notNull(),
  },
  (t) => [index('login_failures_user_idx').on(t.userUuid, t.failedAt)],
);
