import { describe, expect, it } from 'vitest';
import type { AuthorizationCodeRecord, RefreshTokenRecord } from '../../../src/oauth/ports.js';
import { memoryDatabase } from '../../helpers/database.js';
import { ALICE, BRUNO, ORG } from '../../helpers/fixtures.js';

const T0 = Date.parse('2026-01-15T09:00:00Z');

/** Real Drizzle repositories on :memory:, with one organization, two users and one client. */
function setup() {
  const { db, repos } = memoryDatabase();
  repos.users.upsertOrganization({ ...ORG }, T0);
  const { password: _a, organization, ...alice } = ALICE;
  repos.users.upsert({ ...alice, organizationUuid: organization, passwordHash: '$argon2id$alice' }, T0);
  const { password: _b, ...bruno } = BRUNO;
  repos.users.upsert({ ...bruno, passwordHash: '$argon2id$bruno' }, T0);
  repos.clients.upsert(
    { clientId: 'web', name: 'Web', secretHash: 'hmac-sha256$s$d', redirectUris: ['http://127.0.0.1:9999/cb'], grantTypes: ['authorization_code'], scopes: ['profile'] },
    T0,
  );
  return { db, repos };
}

function code(overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    codeHash: 'code-hash',
    familyId: 'family-1',
    clientId: 'web',
    userUuid: ALICE.uuid,
    redirectUri: 'http://127.0.0.1:9999/cb',
    redirectUriProvided: true,
    scope: ['profile', 'organization'],
    codeChallenge: null,
    codeChallengeMethod: null,
    issuedAt: T0,
    expiresAt: T0 + 60_000,
    consumedAt: null,
    ...overrides,
  };
}

function refresh(overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash: 'refresh-hash',
    familyId: 'family-1',
    clientId: 'web',
    userUuid: ALICE.uuid,
    scope: ['profile'],
    issuedAt: T0,
    expiresAt: T0 + 3_600_000,
    usedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

describe('authorization codes repository', () => {
  it('finds a saved code as it was saved', () => {
    const { repos } = setup();
    repos.authorizationCodes.save(code());
    expect(repos.authorizationCodes.find('code-hash')).toEqual(code());
    expect(repos.authorizationCodes.find('other')).toBeUndefined();
  });

  it('consumes a code once: a second consume returns false and keeps the first instant', () => {
    const { repos } = setup();
    repos.authorizationCodes.save(code());
    expect(repos.authorizationCodes.consume('code-hash', T0 + 1)).toBe(true);
    expect(repos.authorizationCodes.consume('code-hash', T0 + 2)).toBe(false);
    expect(repos.authorizationCodes.find('code-hash')?.consumedAt).toBe(T0 + 1);
  });

  it('does not consume an unknown code', () => {
    expect(setup().repos.authorizationCodes.consume('nope', T0)).toBe(false);
  });

  it('rolls back a consume when the transaction around it fails', () => {
    const { repos } = setup();
    repos.authorizationCodes.save(code());
    expect(() =>
      repos.transaction(() => {
        repos.authorizationCodes.consume('code-hash', T0);
        throw new Error('signing failed');
      }),
    ).toThrow('signing failed');
    expect(repos.authorizationCodes.find('code-hash')?.consumedAt).toBeNull();
  });
});

describe('tokens repository', () => {
  it('spends a refresh token once: a second spend returns false', () => {
    const { repos } = setup();
    repos.tokens.saveRefreshToken(refresh());
    expect(repos.tokens.spendRefreshToken('refresh-hash', T0 + 1)).toBe(true);
    expect(repos.tokens.spendRefreshToken('refresh-hash', T0 + 2)).toBe(false);
    expect(repos.tokens.findRefreshToken('refresh-hash')?.usedAt).toBe(T0 + 1);
  });

  it('does not spend a revoked refresh token', () => {
    const { repos } = setup();
    repos.tokens.saveRefreshToken(refresh({ revokedAt: T0 }));
    expect(repos.tokens.spendRefreshToken('refresh-hash', T0 + 1)).toBe(false);
  });

  it('revokes every access and refresh token of a family, and only of that family', () => {
    const { repos } = setup();
    const access = { jti: 'a1', familyId: 'family-1', clientId: 'web', userUuid: ALICE.uuid, scope: ['profile'], grantType: 'authorization_code', issuedAt: T0, expiresAt: T0 + 1, revokedAt: null };
    repos.tokens.saveAccessToken(access);
    repos.tokens.saveAccessToken({ ...access, jti: 'a2', familyId: 'family-2' });
    repos.tokens.saveRefreshToken(refresh());
    repos.tokens.saveRefreshToken(refresh({ tokenHash: 'r2', familyId: 'family-2' }));
    repos.tokens.saveRefreshToken(refresh({ tokenHash: 'r-old', revokedAt: T0 - 5 }));
    repos.tokens.revokeFamily('family-1', T0 + 9);
    expect(repos.tokens.findAccessToken('a1')?.revokedAt).toBe(T0 + 9);
    expect(repos.tokens.findRefreshToken('refresh-hash')?.revokedAt).toBe(T0 + 9);
    // an earlier revocation keeps its instant
    expect(repos.tokens.findRefreshToken('r-old')?.revokedAt).toBe(T0 - 5);
    expect(repos.tokens.findAccessToken('a2')?.revokedAt).toBeNull();
    expect(repos.tokens.findRefreshToken('r2')?.revokedAt).toBeNull();
  });

  it('reads an access token with its user and the user\'s organization in one query', () => {
    const { repos } = setup();
    const access = { jti: 'a1', familyId: 'f', clientId: 'web', userUuid: ALICE.uuid, scope: ['profile'], grantType: 'authorization_code', issuedAt: T0, expiresAt: T0 + 1, revokedAt: null };
    repos.tokens.saveAccessToken(access);
    repos.tokens.saveAccessToken({ ...access, jti: 'b1', userUuid: BRUNO.uuid });
    repos.tokens.saveAccessToken({ ...access, jti: 'cc', userUuid: null, grantType: 'client_credentials' });
    const alices = repos.tokens.findAccessTokenWithUser('a1');
    expect(alices?.token).toEqual(access);
    expect(alices?.user).toEqual(repos.users.findByUuid(ALICE.uuid));
    expect(JSON.stringify(alices?.user)).not.toContain('argon2');
    expect(alices?.organization?.name).toBe(ORG.name);
    // a user without an organization, a client_credentials token without a user, an unknown jti
    expect(repos.tokens.findAccessTokenWithUser('b1')).toMatchObject({ user: { uuid: BRUNO.uuid }, organization: undefined });
    expect(repos.tokens.findAccessTokenWithUser('cc')).toMatchObject({ token: { jti: 'cc' }, user: undefined, organization: undefined });
    expect(repos.tokens.findAccessTokenWithUser('no-such-jti')).toBeUndefined();
  });

  it('keeps a client_credentials access token without a user', () => {
    const { repos } = setup();
    const access = { jti: 'cc', familyId: 'f', clientId: 'web', userUuid: null, scope: [], grantType: 'client_credentials', issuedAt: T0, expiresAt: T0 + 1, revokedAt: null };
    repos.tokens.saveAccessToken(access);
    expect(repos.tokens.findAccessToken('cc')).toEqual(access);
  });

  it('refuses a token for an unknown client (foreign keys are on)', () => {
    const { repos } = setup();
    expect(() => repos.tokens.saveRefreshToken(refresh({ clientId: 'ghost' }))).toThrow(/FOREIGN KEY/);
  });
});

describe('sessions repository', () => {
  it('finds the user of a live session and forgets it at expiry, on the given clock', () => {
    const { repos } = setup();
    repos.sessions.create({ idHash: 's1', userUuid: ALICE.uuid, createdAt: T0, expiresAt: T0 + 1000 });
    expect(repos.sessions.findUser('s1', T0 + 999)).toBe(ALICE.uuid);
    expect(repos.sessions.findUser('s1', T0 + 1000)).toBeUndefined();
    expect(repos.sessions.findUser('unknown', T0)).toBeUndefined();
  });

  it('deletes a session', () => {
    const { repos } = setup();
    repos.sessions.create({ idHash: 's1', userUuid: ALICE.uuid, createdAt: T0, expiresAt: T0 + 1000 });
    repos.sessions.delete('s1');
    expect(repos.sessions.findUser('s1', T0)).toBeUndefined();
  });
});

describe('consents repository', () => {
  it('returns no scopes for a user never asked', () => {
    expect(setup().repos.consents.find(ALICE.uuid, 'web')).toEqual([]);
  });

  it('merges newly granted scopes with earlier ones, per user and client', () => {
    const { repos } = setup();
    repos.consents.grant(ALICE.uuid, 'web', ['profile'], T0);
    repos.consents.grant(ALICE.uuid, 'web', ['organization', 'profile'], T0 + 1);
    expect(repos.consents.find(ALICE.uuid, 'web')).toEqual(['profile', 'organization']);
    expect(repos.consents.find(BRUNO.uuid, 'web')).toEqual([]);
  });
});

describe('interactions repository', () => {
  it('completes an interaction once', () => {
    const { repos } = setup();
    repos.interactions.save({
      id: 'i1',
      clientId: 'web',
      responseType: 'code',
      redirectUri: 'http://127.0.0.1:9999/cb',
      redirectUriProvided: false,
      scope: [],
      state: null,
      codeChallenge: null,
      codeChallengeMethod: null,
      loginHint: null,
      browserHash: null,
      createdAt: T0,
      expiresAt: T0 + 1,
      completedAt: null,
    });
    expect(repos.interactions.find('i1')?.scope).toEqual([]);
    expect(repos.interactions.complete('i1', T0)).toBe(true);
    expect(repos.interactions.complete('i1', T0)).toBe(false);
  });
});

describe('users and clients repositories', () => {
  it('finds users by e-mail whatever its case, and never returns the password hash with the user', () => {
    const { repos } = setup();
    const user = repos.users.findByEmail(ALICE.email.toUpperCase());
    expect(user?.uuid).toBe(ALICE.uuid);
    expect(JSON.stringify(user)).not.toContain('argon2');
    expect(repos.users.findPasswordHash(` ${ALICE.email} `)?.passwordHash).toBe('$argon2id$alice');
  });

  it('finds the first seeded user', () => {
    const { repos } = setup();
    expect(repos.users.findFirst()?.uuid).toBe(ALICE.uuid);
  });

  it('returns the secret hash of a client only through findWithSecretHash', () => {
    const { repos } = setup();
    expect(repos.clients.find('web')).toEqual({
      id: 'web',
      name: 'Web',
      isPublic: false,
      redirectUris: ['http://127.0.0.1:9999/cb'],
      grantTypes: ['authorization_code'],
      scopes: ['profile'],
    });
    expect(repos.clients.findWithSecretHash('web')?.secretHash).toBe('hmac-sha256$s$d');
  });
});
