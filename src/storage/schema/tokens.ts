import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './columns.js';
import { clients } from './clients.js';
import { users } from './accounts.js';

/*
 * Every token descends from one authorization, its family (`family_id`): revoking a family
 * (code replay, refresh-token reuse, RFC 7009 revocation of a refresh token) is one UPDATE per
 * table on the indexed column. Tokens go with their client or user (ON DELETE CASCADE).
 */

/** Authorization codes, stored as SHA-256; `consumed_at` makes them single-use. */
export const authorizationCodes = sqliteTable('authorization_codes', {
  codeHash: text('code_hash').primaryKey(),
  familyId: text('family_id').notNull(),
  clientId: text('client_id').notNull().references(() => clients.clientId, { onDelete: 'cascade' }),
  userUuid: text('user_uuid').notNull().references(() => users.uuid, { onDelete: 'cascade' }),
  redirectUri: text('redirect_uri').notNull(),
  redirectUriProvided: integer('redirect_uri_provided', { mode: 'boolean' }).notNull(),
  scope: text('scope').notNull(),
  codeChallenge: text('code_challenge'),
  codeChallengeMethod: text('code_challenge_method'),
  issuedAt: instant('issued_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  consumedAt: instant('consumed_at'),
});

/** Issued access tokens (JWTs) by `jti`, so revocation and introspection see them. */
export const accessTokens = sqliteTable(
  'access_tokens',
  {
    jti: text('jti').primaryKey(),
    familyId: text('family_id').notNull(),
    clientId: text('client_id').notNull().references(() => clients.clientId, { onDelete: 'cascade' }),
    // null for client_credentials tokens, whose subject is the client
    userUuid: text('user_uuid').references(() => users.uuid, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    grantType: text('grant_type').notNull(),
    issuedAt: instant('issued_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('access_tokens_family_idx').on(t.familyId)],
);

/** Refresh tokens, stored by issue time and SHA-256 (oauth/refresh-token-format.ts); `used_at` makes them single-use (rotation). */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    familyId: text('family_id').notNull(),
    clientId: text('client_id').notNull().references(() => clients.clientId, { onDelete: 'cascade' }),
    userUuid: text('user_uuid').notNull().references(() => users.uuid, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    issuedAt: instant('issued_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId)],
);
