import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configWith } from '../../../src/config.js';
import { createEmulator } from '../../../src/emulator.js';
import { KeyStore, generateSigningKey } from '../../../src/oauth/keys.js';
import { SeedError } from '../../../src/seed/load-seed.js';
import { isNewDatabase } from '../../../src/storage/database-file.js';
import { openDatabase } from '../../../src/storage/database.js';
import { createSigningKeyRepository } from '../../../src/storage/repositories/signing-keys.js';
import { testSigningKey } from '../../helpers/app.js';
import { TEST_SEED } from '../../helpers/fixtures.js';

const T0 = Date.parse('2026-01-15T09:00:00Z');
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const dir = mkdtempSync(join(tmpdir(), 'askara-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signing keys', () => {
  it('are generated on first start and kept in the database: a restart on the same file keeps the kid', async () => {
    const config = configWith({ databasePath: join(dir, 'restart.sqlite'), port: 0 });
    const first = await createEmulator({ config, seed: TEST_SEED });
    const kid = first.context.keys.activeKid;
    await first.close();
    const second = await createEmulator({ config, seed: TEST_SEED });
    try {
      expect(second.context.keys.activeKid).toBe(kid);
      expect(second.context.keys.jwks().keys.map((k) => k.kid)).toEqual([kid]);
      // and the seed, applied again, neither duplicated nor lost anything
      expect(second.context.repos.users.list()).toHaveLength(TEST_SEED.users?.length ?? 0);
      // (plus the playground's own client, src/seed/playground-client.ts)
      expect(second.context.repos.clients.list()).toHaveLength((TEST_SEED.clients?.length ?? 0) + 1);
    } finally {
      await second.close();
    }
  });

  it('of a new database: none is active until activate, so the store publishes nothing and refuses to sign', async () => {
    const db = openDatabase(':memory:');
    try {
      const repo = createSigningKeyRepository(db);
      const keys = KeyStore.load(repo);
      expect(keys.activeKid).toBeUndefined();
      expect(keys.jwks()).toEqual({ keys: [] });
      await expect(keys.sign({ iss: 'http://issuer.test' }, 'JWT')).rejects.toThrow('no active signing key');
      const first = await testSigningKey();
      keys.activate(first, T0);
      expect(keys.activeKid).toBe(first.kid);
      const jwt = await keys.sign({ iss: 'http://issuer.test', exp: T0 / 1000 + 60 }, 'JWT');
      // a second activation retires the first, which stays published: its tokens still verify
      const second = await generateSigningKey(T0 + 1);
      keys.activate(second, T0 + 1);
      expect(keys.activeKid).toBe(second.kid);
      expect(keys.jwks().keys.map((k) => k.kid)).toEqual([second.kid, first.kid]);
      await expect(keys.verify(jwt, { issuer: 'http://issuer.test', now: T0 })).resolves.toMatchObject({ iss: 'http://issuer.test' });
      expect(KeyStore.load(repo).activeKid).toBe(second.kid);
    } finally {
      db.$client.close();
    }
  });

  it('of a new database can be a key whose generation started earlier (server.ts starts it before loading the server)', async () => {
    const key = await testSigningKey();
    const emulator = await createEmulator({ config: configWith({ databasePath: ':memory:', port: 0 }), seed: TEST_SEED, firstKey: Promise.resolve(key) });
    try {
      expect(emulator.context.keys.activeKid).toBe(key.kid);
    } finally {
      await emulator.close();
    }
  });

  it('of a new database with a malformed seed: the start fails with the seed\'s error, after the key work settled', async () => {
    const path = join(dir, 'bad-seed.sqlite');
    const seed = { users: [{ email: 'not-an-email' }] } as unknown as typeof TEST_SEED;
    await expect(createEmulator({ config: configWith({ databasePath: path, port: 0 }), seed })).rejects.toBeInstanceOf(SeedError);
    const db = openDatabase(path);
    try {
      // the key generated side by side was stored before the database closed: no work is left
      // running after the failure, and a later start keeps that key
      expect(KeyStore.load(createSigningKeyRepository(db)).jwks().keys).toHaveLength(1);
    } finally {
      db.$client.close();
    }
  });

  it('are needed exactly when the database file does not exist yet, or is :memory:', () => {
    expect(isNewDatabase(':memory:')).toBe(true);
    expect(isNewDatabase(join(dir, 'nothing-here.sqlite'))).toBe(true);
    const existing = join(dir, 'existing.sqlite');
    writeFileSync(existing, '');
    expect(isNewDatabase(existing)).toBe(false);
  });

  it('publish RS256 public keys with kid, alg and use, and no private member', async () => {
    const db = openDatabase(':memory:');
    try {
      const keys = await KeyStore.open(createSigningKeyRepository(db), T0);
      const [jwk, ...others] = keys.jwks().keys;
      expect(others).toEqual([]);
      expect(jwk).toMatchObject({ kty: 'RSA', kid: keys.activeKid, alg: 'RS256', use: 'sig', e: 'AQAB' });
      for (const member of PRIVATE_MEMBERS) expect(jwk, member).not.toHaveProperty(member);
    } finally {
      db.$client.close();
    }
  });

  it('keep the private key only in the signing_keys table, as PKCS#8 PEM', async () => {
    const db = openDatabase(':memory:');
    try {
      const keys = await KeyStore.open(createSigningKeyRepository(db), T0);
      const row = db.$client.prepare('select kid, status, private_key_pem, public_jwk from signing_keys').get() as Record<string, string>;
      expect(row.kid).toBe(keys.activeKid);
      expect(row.status).toBe('active');
      expect(row.private_key_pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      for (const member of PRIVATE_MEMBERS) expect(JSON.parse(row.public_jwk ?? '{}'), member).not.toHaveProperty(member);
    } finally {
      db.$client.close();
    }
  });

  it('sign with the header of SPEC §4 and verify on the emulator clock', async () => {
    const db = openDatabase(':memory:');
    try {
      const keys = await KeyStore.open(createSigningKeyRepository(db), T0);
      const iat = T0 / 1000;
      const jwt = await keys.sign({ iss: 'http://issuer.test', iat, exp: iat + 60 }, 'JWT');
      const header = JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString());
      expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: keys.activeKid });
      await expect(keys.verify(jwt, { issuer: 'http://issuer.test', now: T0 + 59_000 })).resolves.toMatchObject({ iss: 'http://issuer.test' });
      await expect(keys.verify(jwt, { issuer: 'http://issuer.test', now: T0 + 60_000 })).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
      await expect(keys.verify(jwt, { issuer: 'http://other.test', now: T0 })).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
    } finally {
      db.$client.close();
    }
  });

  it('rotate without invalidating tokens signed with the retired key', async () => {
    const db = openDatabase(':memory:');
    try {
      const repo = createSigningKeyRepository(db);
      const before = await KeyStore.open(repo, T0);
      const jwt = await before.sign({ iss: 'http://issuer.test', exp: T0 / 1000 + 60 }, 'JWT');
      const rotated = await KeyStore.rotate(repo, T0 + 1);
      const after = await KeyStore.open(repo, T0 + 2);
      expect(after.activeKid).toBe(rotated.kid);
      expect(after.jwks().keys.map((k) => k.kid)).toEqual([rotated.kid, before.activeKid]);
      await expect(after.verify(jwt, { issuer: 'http://issuer.test', now: T0 + 3 })).resolves.toBeDefined();
    } finally {
      db.$client.close();
    }
  });
});
