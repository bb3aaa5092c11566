import { and, count, eq, getTableColumns, gt, isNull, max, min, sql } from 'drizzle-orm';
import type { ConsoleRepositories, LiveFamily } from '../../console/ports.js';
import type {
  AccessTokenRecord,
  AccessTokenWithUser,
  AuthorizationCodeRecord,
  AuthorizationCodeRepository,
  RefreshTokenRecord,
  TokenRepository,
} from '../../oauth/ports.js';
import type { Db } from '../database.js';
import { prepareRawRead } from '../raw-read.js';
import { accessTokens, authorizationCodes, organizations, refreshTokens, users } from '../schema/index.js';
import { userColumns } from './users.js';

const scopeOut = (scope: string): string[] => (scope === '' ? [] : scope.split(' '));
const scopeIn = (scope: readonly string[]): string => scope.join(' ');

export function createAuthorizationCodeRepository(db: Db) {
  const byHash = db.select().from(authorizationCodes).where(eq(authorizationCodes.codeHash, sql.placeholder('hash'))).prepare();
  const consume = db
    .update(authorizationCodes)
    .set({ consumedAt: sql`${sql.placeholder('now')}` })
    .where(and(eq(authorizationCodes.codeHash, sql.placeholder('hash')), isNull(authorizationCodes.consumedAt)))
    .prepare();
  return {
    save(code) {
      db.insert(authorizationCodes).values({ ...code, scope: scopeIn(code.scope) }).run();
    },
    find(codeHash): AuthorizationCodeRecord | undefined {
      const row = byHash.get({ hash: codeHash });
      return row && { ...row, scope: scopeOut(row.scope) };
    },
    consume(codeHash, now) {
      return consume.run({ hash: codeHash, now }).changes === 1;
    },
  } satisfies AuthorizationCodeRepository;
}

export function createTokenRepository(db: Db) {
  const accessByJti = db.select().from(accessTokens).where(eq(accessTokens.jti, sql.placeholder('jti'))).prepare();
  // bearer authentication's one read: the token, its user and the user's organization (LEFT JOINs:
  // a client_credentials token has no user, a user may have no organization), read raw (raw-read.ts)
  const withUser = { token: getTableColumns(accessTokens), user: userColumns, organization: getTableColumns(organizations) };
  const accessWithUserByJti = prepareRawRead(
    db,
    db
      .select(withUser)
      .from(accessTokens)
      .leftJoin(users, eq(accessTokens.userUuid, users.uuid))
      .leftJoin(organizations, eq(users.organizationUuid, organizations.uuid))
      .where(eq(accessTokens.jti, sql.placeholder('jti'))),
    withUser,
  );
  const refreshByHash = db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, sql.placeholder('hash'))).prepare();
  const spend = db
    .update(refreshTokens)
    .set({ usedAt: sql`${sql.placeholder('now')}` })
    .where(and(eq(refreshTokens.tokenHash, sql.placeholder('hash')), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
    .prepare();
  const insertAccess = db.insert(accessTokens).values({
    jti: sql.placeholder('jti'),
    familyId: sql.placeholder('familyId'),
    clientId: sql.placeholder('clientId'),
    userUuid: sql.placeholder('userUuid'),
    scope: sql.placeholder('scope'),
    grantType: sql.placeholder('grantType'),
    issuedAt: sql.placeholder('issuedAt'),
    expiresAt: sql.placeholder('expiresAt'),
    revokedAt: sql.placeholder('revokedAt'),
  }).prepare();
  const insertRefresh = db.insert(refreshTokens).values({
    tokenHash: sql.placeholder('tokenHash'),
    familyId: sql.placeholder('familyId'),
    clientId: sql.placeholder('clientId'),
    userUuid: sql.placeholder('userUuid'),
    scope: sql.placeholder('scope'),
    issuedAt: sql.placeholder('issuedAt'),
    expiresAt: sql.placeholder('expiresAt'),
    usedAt: sql.placeholder('usedAt'),
    revokedAt: sql.placeholder('revokedAt'),
  }).prepare();
  // the tokens that still work, one row per family (the console's "Grants and tokens")
  const liveAccess = db
    .select({
      familyId: accessTokens.familyId,
      clientId: sql<string>`min(${accessTokens.clientId})`,
      userUuid: sql<string | null>`min(${accessTokens.userUuid})`,
      grantType: sql<string>`min(${accessTokens.grantType})`,
      scope: sql<string>`min(${accessTokens.scope})`,
      issuedAt: min(accessTokens.issuedAt),
      expiresAt: max(accessTokens.expiresAt),
      n: count(),
    })
    .from(accessTokens)
    .where(and(isNull(accessTokens.revokedAt), gt(accessTokens.expiresAt, sql.placeholder('now'))))
    .groupBy(accessTokens.familyId)
    .prepare();
  const liveRefresh = db
    .select({
      familyId: refreshTokens.familyId,
      clientId: sql<string>`min(${refreshTokens.clientId})`,
      userUuid: sql<string>`min(${refreshTokens.userUuid})`,
      // the grant that started the family: its first access token's
      grantType: sql<string | null>`(select ${accessTokens.grantType} from ${accessTokens} where ${accessTokens.familyId} = ${refreshTokens.familyId} order by ${accessTokens.issuedAt} limit 1)`,
      scope: sql<string>`min(${refreshTokens.scope})`,
      issuedAt: min(refreshTokens.issuedAt),
      expiresAt: max(refreshTokens.expiresAt),
      n: count(),
    })
    .from(refreshTokens)
    .where(and(isNull(refreshTokens.revokedAt), isNull(refreshTokens.usedAt), gt(refreshTokens.expiresAt, sql.placeholder('now'))))
    .groupBy(refreshTokens.familyId)
    .prepare();
  return {
    listLiveFamilies(now: number): LiveFamily[] {
      const families = new Map<string, LiveFamily>();
      for (const row of liveAccess.all({ now })) {
        families.set(row.familyId, { ...row, scope: scopeOut(row.scope), issuedAt: row.issuedAt ?? 0, expiresAt: row.expiresAt ?? 0, accessTokens: row.n, refreshTokens: 0 });
      }
      for (const row of liveRefresh.all({ now })) {
        const known = families.get(row.familyId);
        const issuedAt = Math.min(row.issuedAt ?? 0, known?.issuedAt ?? Number.POSITIVE_INFINITY);
        const expiresAt = Math.max(row.expiresAt ?? 0, known?.expiresAt ?? 0);
        // the refresh token keeps the family's original scope (an access token may carry a narrower one)
        families.set(row.familyId, {
          familyId: row.familyId,
          clientId: row.clientId,
          userUuid: row.userUuid,
          grantType: known?.grantType ?? row.grantType ?? 'unknown',
          scope: scopeOut(row.scope),
          issuedAt,
          expiresAt,
          accessTokens: known?.accessTokens ?? 0,
          refreshTokens: row.n,
        });
      }
      return [...families.values()].sort((a, b) => b.issuedAt - a.issuedAt);
    },
    saveAccessToken(token: AccessTokenRecord) {
      insertAccess.run({ ...token, scope: scopeIn(token.scope) });
    },
    saveRefreshToken(token: RefreshTokenRecord) {
      insertRefresh.run({ ...token, scope: scopeIn(token.scope) });
    },
    findAccessToken(jti) {
      const row = accessByJti.get({ jti });
      return row && { ...row, scope: scopeOut(row.scope) };
    },
    findAccessTokenWithUser(jti): AccessTokenWithUser | undefined {
      const row = accessWithUserByJti(jti);
      return (
        row && {
          token: { ...row.token, scope: scopeOut(row.token.scope) },
          user: row.user ?? undefined,
          organization: row.organization ?? undefined,
        }
      );
    },
    findRefreshToken(tokenHash) {
      const row = refreshByHash.get({ hash: tokenHash });
      return row && { ...row, scope: scopeOut(row.scope) };
    },
    spendRefreshToken(tokenHash, now) {
      return spend.run({ hash: tokenHash, now }).changes === 1;
    },
    revokeFamily(familyId, now) {
      db.update(accessTokens).set({ revokedAt: now }).where(and(eq(accessTokens.familyId, familyId), isNull(accessTokens.revokedAt))).run();
      db.update(refreshTokens).set({ revokedAt: now }).where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt))).run();
    },
    revokeAccessToken(jti, now) {
      db.update(accessTokens).set({ revokedAt: now }).where(and(eq(accessTokens.jti, jti), isNull(accessTokens.revokedAt))).run();
    },
  } satisfies TokenRepository & ConsoleRepositories['tokens'];
}
