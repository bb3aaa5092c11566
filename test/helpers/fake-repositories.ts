/**
 * The ports of src/oauth/ports.ts on plain Maps, and a signer that does not sign: the protocol
 * core's unit tests run against these, without SQLite, RSA or Fastify (STYLE §3.7).
 */
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  DeviceCodeRecord,
  Client,
  InteractionRecord,
  Organization,
  ProtocolDeps,
  ProtocolSettings,
  RefreshTokenRecord,
  Repositories,
  TokenSigner,
  User,
} from '../../src/oauth/ports.js';
import { TestClock } from './clock.js';

export const FAKE_ISSUER = 'http://127.0.0.1:8080';

/** A public or confidential client with the defaults of the test seed. */
export function fakeClient(overrides: Partial<Client> & { id: string }): Client {
  return {
    name: `Client ${overrides.id}`,
    isPublic: false,
    redirectUris: ['http://127.0.0.1:9999/callback'],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['profile', 'organization'],
    ...overrides,
  };
}

export function fakeUser(overrides: Partial<User> & { uuid: string; email: string }): User {
  return {
    firstName: null,
    lastName: null,
    gender: null,
    isVerified: null,
    phone: null,
    rpps: null,
    am: null,
    language: null,
    timezone: null,
    languageSpokenAutoDetect: null,
    languageSpoken: null,
    languageDocument: null,
    organizationUuid: null,
    organizationRole: null,
    ...overrides,
  };
}

/** What the fake stores, exposed so tests can look inside. */
export interface FakeStore {
  clients: Map<string, { client: Client; secretHash: string | null }>;
  users: Map<string, { user: User; passwordHash: string | null }>;
  organizations: Map<string, Organization>;
  codes: Map<string, AuthorizationCodeRecord>;
  accessTokens: Map<string, AccessTokenRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  interactions: Map<string, InteractionRecord>;
  consents: Map<string, string[]>;
  sessions: Map<string, { userUuid: string; createdAt: number; expiresAt: number }>;
  deviceCodes: Map<string, DeviceCodeRecord>;
}

export function createFakeStore(): FakeStore {
  return {
    clients: new Map(),
    users: new Map(),
    organizations: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    interactions: new Map(),
    consents: new Map(),
    sessions: new Map(),
    deviceCodes: new Map(),
  };
}

/**
 * Repositories over the store. `transaction` snapshots the token maps and restores them when
 * `fn` throws, so an atomicity bug shows up here as it would in SQLite.
 */
export function createFakeRepositories(store: FakeStore): Repositories {
  const copy = <T>(v: T): T => structuredClone(v);
  return {
    clients: {
      find: (id) => copy(store.clients.get(id)?.client),
      findWithSecretHash: (id) => copy(store.clients.get(id)),
    },
    users: {
      findByUuid: (uuid) => copy(store.users.get(uuid)?.user),
      findByEmail: (email) => copy([...store.users.values()].find((u) => u.user.email.toLowerCase() === email.trim().toLowerCase())?.user),
      findFirst: () => copy([...store.users.values()][0]?.user),
      findPasswordHash: (email) => copy([...store.users.values()].find((u) => u.user.email.toLowerCase() === email.trim().toLowerCase())),
    },
    authorizationCodes: {
      save: (code) => void store.codes.set(code.codeHash, copy(code)),
      find: (hash) => copy(store.codes.get(hash)),
      consume(hash, now) {
        const code = store.codes.get(hash);
        if (!code || code.consumedAt !== null) return false;
        code.consumedAt = now;
        return true;
      },
    },
    tokens: {
      saveAccessToken: (t) => void store.accessTokens.set(t.jti, copy(t)),
      saveRefreshToken: (t) => void store.refreshTokens.set(t.tokenHash, copy(t)),
      findAccessToken: (jti) => copy(store.accessTokens.get(jti)),
      findAccessTokenWithUser(jti) {
        const token = copy(store.accessTokens.get(jti));
        const user = token?.userUuid ? copy(store.users.get(token.userUuid)?.user) : undefined;
        const organization = user?.organizationUuid ? copy(store.organizations.get(user.organizationUuid)) : undefined;
        return token && { token, user, organization };
      },
      findRefreshToken: (hash) => copy(store.refreshTokens.get(hash)),
      spendRefreshToken(hash, now) {
        const t = store.refreshTokens.get(hash);
        if (!t || t.usedAt !== null || t.revokedAt !== null) return false;
        t.usedAt = now;
        return true;
      },
      revokeFamily(familyId, now) {
        for (const t of [...store.accessTokens.values(), ...store.refreshTokens.values()]) {
          if (t.familyId === familyId && t.revokedAt === null) t.revokedAt = now;
        }
      },
      revokeAccessToken(jti, now) {
        const t = store.accessTokens.get(jti);
        if (t && t.revokedAt === null) t.revokedAt = now;
      },
    },
    interactions: {
      save: (i) => void store.interactions.set(i.id, copy(i)),
      find: (id) => copy(store.interactions.get(id)),
      complete(id, now) {
        const i = store.interactions.get(id);
        if (!i || i.completedAt !== null) return false;
        i.completedAt = now;
        return true;
      },
    },
    consents: {
      find: (userUuid, clientId) => [...(store.consents.get(`${userUuid} ${clientId}`) ?? [])],
      grant(userUuid, clientId, scopes) {
        const key = `${userUuid} ${clientId}`;
        store.consents.set(key, [...new Set([...(store.consents.get(key) ?? []), ...scopes])]);
      },
    },
    sessions: {
      create: ({ idHash, ...rest }) => void store.sessions.set(idHash, rest),
      findUser(idHash, now) {
        const s = store.sessions.get(idHash);
        return s && s.expiresAt > now ? s.userUuid : undefined;
      },
      delete: (idHash) => void store.sessions.delete(idHash),
    },
    deviceCodes: {
      save: (code) => void store.deviceCodes.set(code.deviceCodeHash, copy(code)),
      find: (hash) => copy(store.deviceCodes.get(hash)),
      findByUserCode: (userCode) => copy([...store.deviceCodes.values()].find((d) => d.userCode === userCode)),
      recordPoll(hash, now, slowDown) {
        const d = store.deviceCodes.get(hash);
        if (d) Object.assign(d, { lastPolledAt: now, intervalSeconds: d.intervalSeconds + (slowDown ? 5 : 0) });
      },
      decide(hash, decision, userUuid, now) {
        const d = store.deviceCodes.get(hash);
        if (!d || d.status !== 'pending' || now >= d.expiresAt) return false;
        Object.assign(d, { status: decision, userUuid, decidedAt: now });
        return true;
      },
      markUsed(hash) {
        const d = store.deviceCodes.get(hash);
        if (!d || d.status !== 'approved') return false;
        d.status = 'used';
        return true;
      },
    },
    async commit<T>(fn: () => T): Promise<T> {
      return this.transaction(fn);
    },
    transaction<T>(fn: () => T): T {
      const saved = {
        codes: copy(store.codes),
        accessTokens: copy(store.accessTokens),
        refreshTokens: copy(store.refreshTokens),
        interactions: copy(store.interactions),
        consents: copy(store.consents),
      };
      try {
        return fn();
      } catch (e) {
        Object.assign(store, saved);
        throw e;
      }
    },
  };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * Writes `header.payload.unsigned` and checks only issuer and lifetime when verifying: enough for
 * the core, which never looks inside a token it signed except through `verify`.
 */
export const fakeSigner: TokenSigner = {
  async sign(claims, typ) {
    return `${b64({ alg: 'none', typ, kid: 'fake' })}.${b64(claims)}.unsigned`;
  },
  async verify(jwt, { issuer, now }) {
    const [, payload, signature] = jwt.split('.');
    if (signature !== 'unsigned' || !payload) throw Object.assign(new Error('bad signature'), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    if (claims.iss !== issuer) throw Object.assign(new Error('iss'), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
    if (typeof claims.exp === 'number' && claims.exp <= Math.floor(now / 1000)) throw Object.assign(new Error('exp'), { code: 'ERR_JWT_EXPIRED' });
    return claims;
  },
};

/** The claims of a token the fake signer wrote. */
export function fakeClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

export interface FakeWorld {
  deps: ProtocolDeps;
  store: FakeStore;
  clock: TestClock;
  addClient(client: Client, secretHash?: string | null): Client;
  addUser(user: User): User;
}

/** ProtocolDeps on fake repositories, a manual clock and the fake signer. */
export function fakeWorld(settings: Partial<ProtocolSettings> = {}): FakeWorld {
  const store = createFakeStore();
  const clock = new TestClock();
  const repos = createFakeRepositories(store);
  const deps: ProtocolDeps = {
    settings: {
      issuer: () => FAKE_ISSUER,
      accessTokenTtl: 3600,
      refreshTokenTtl: 30 * 86_400,
      authCodeTtl: 60,
      deviceCodeTtl: 600,
      devicePollInterval: 5,
      accessTokenTyp: 'JWT',
      refreshReuse: 'revoke-family',
      ...settings,
    },
    clock,
    repos,
    signer: fakeSigner,
    // passwords are stored as `plain:<password>` in fake worlds; no lockout here (see lockout.test.ts)
    accounts: {
      async authenticate(email, password) {
        const found = repos.users.findPasswordHash(email);
        if (found && found.passwordHash === `plain:${password}`) return { ok: true, user: found.user };
        return { ok: false, reason: 'invalid' };
      },
    },
  };
  return {
    deps,
    store,
    clock,
    addClient(client, secretHash = client.isPublic ? null : 'unused') {
      store.clients.set(client.id, { client, secretHash });
      return client;
    },
    addUser(user) {
      store.users.set(user.uuid, { user, passwordHash: null });
      return user;
    },
  };
}
