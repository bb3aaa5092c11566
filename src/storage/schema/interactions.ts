import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './columns.js';
import { clients } from './clients.js';
import { users } from './accounts.js';

/** Browser sessions; only the SHA-256 of the cookie value is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userUuid: text('user_uuid').notNull().references(() => users.uuid, { onDelete: 'cascade' }),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userUuid)],
);

/** A validated /authorize request waiting for login and consent (STYLE §3.11). */
export const interactions = sqliteTable('interactions', {
  id: text('id').primaryKey(),
  clientId: text('client_id').notNull().references(() => clients.clientId, { onDelete: 'cascade' }),
  responseType: text('response_type').notNull(),
  redirectUri: text('redirect_uri').notNull(),
  // RFC 6749 §4.1.3: the token request must repeat redirect_uri only if the request carried it
  redirectUriProvided: integer('redirect_uri_provided', { mode: 'boolean' }).notNull(),
  scope: text('scope').notNull(),
  state: text('state'),
  codeChallenge: text('code_challenge'),
  codeChallengeMethod: text('code_challenge_method'),
  loginHint: text('login_hint'),
  // SHA-256 of the binding cookie of the browser that started it: the login and consent pages
  // refuse the interaction in any other browser (a leaked URL is useless); null: not bound
  browserHash: text('browser_hash'),
  createdAt: instant('created_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  completedAt: instant('completed_at'),
});

/** Remembered consent per user and client (SPEC §6.1). */
export const consents = sqliteTable(
  'consents',
  {
    userUuid: text('user_uuid').notNull().references(() => users.uuid, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull().references(() => clients.clientId, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userUuid, t.clientId] })],
);
