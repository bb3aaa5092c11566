import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { applySeed } from '../../../src/seed/apply-seed.js';
import { parseSeed } from '../../../src/seed/load-seed.js';
import type { Seed } from '../../../src/seed/seed-schema.js';
import { verifyClientSecret } from '../../../src/shared/random.js';
import type { Db } from '../../../src/storage/database.js';
import { memoryDatabase } from '../../helpers/database.js';
import { ALICE, ORG, WEB } from '../../helpers/fixtures.js';

const T0 = Date.parse('2026-01-15T09:00:00Z');

const SEED: Seed = parseSeed({
  organizations: [{ ...ORG }],
  users: [{ ...ALICE }],
  clients: [{ ...WEB, redirectUris: [...WEB.redirectUris], grantTypes: [...WEB.grantTypes], scopes: [...WEB.scopes] }],
});

const setup = memoryDatabase;

const rows = (db: Db, sql: string) => db.$client.prepare(sql).all();

describe('applySeed', () => {
  it('stores passwords only as argon2id hashes', async () => {
    const { db, repos } = setup();
    await applySeed(SEED, repos, T0);
    const hash = repos.users.findPasswordHash(ALICE.email)?.passwordHash ?? '';
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await argon2.verify(hash, ALICE.password)).toBe(true);
    expect(JSON.stringify(rows(db, 'select * from users'))).not.toContain(ALICE.password);
  });

  it('stores client secrets as salted HMAC-SHA-256, not in clear and not with argon2', async () => {
    const { db, repos } = setup();
    await applySeed(SEED, repos, T0);
    const hash = repos.clients.findWithSecretHash(WEB.clientId)?.secretHash ?? '';
    expect(hash).toMatch(/^hmac-sha256\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(verifyClientSecret(WEB.clientSecret, hash)).toBe(true);
    expect(JSON.stringify(rows(db, 'select * from clients'))).not.toContain(WEB.clientSecret);
  });

  it('is idempotent: applying the same seed twice changes no record and keeps the secret hash', async () => {
    const { db, repos } = setup();
    await applySeed(SEED, repos, T0);
    const secretHash = repos.clients.findWithSecretHash(WEB.clientId)?.secretHash;
    const before = { users: rows(db, 'select uuid, email from users'), clients: rows(db, 'select client_id, name from clients') };
    await applySeed(SEED, repos, T0 + 1000);
    expect({ users: rows(db, 'select uuid, email from users'), clients: rows(db, 'select client_id, name from clients') }).toEqual(before);
    expect(repos.clients.findWithSecretHash(WEB.clientId)?.secretHash).toBe(secretHash);
  });

  it('upserts by uuid and clientId: changed fields are updated in place', async () => {
    const { repos } = setup();
    await applySeed(SEED, repos, T0);
    const changed = parseSeed(
      {
        users: [{ ...ALICE, firstName: 'Alicia', password: 'new-password-1' }],
        clients: [{ ...WEB, name: 'Renamed', clientSecret: 'rotated-secret', redirectUris: ['http://127.0.0.1:9999/new'] }],
      },
      new Set([ORG.uuid]),
    );
    await applySeed(changed, repos, T0 + 1000);
    expect(repos.users.findByUuid(ALICE.uuid)?.firstName).toBe('Alicia');
    expect(await argon2.verify(repos.users.findPasswordHash(ALICE.email)?.passwordHash ?? '', 'new-password-1')).toBe(true);
    const client = repos.clients.findWithSecretHash(WEB.clientId);
    expect(client?.client).toMatchObject({ name: 'Renamed', redirectUris: ['http://127.0.0.1:9999/new'] });
    expect(verifyClientSecret('rotated-secret', client?.secretHash ?? '')).toBe(true);
  });

  it('deletes nothing: records absent from a later seed stay, and so do their tokens', async () => {
    const { db, repos } = setup();
    await applySeed(SEED, repos, T0);
    repos.tokens.saveRefreshToken({
      tokenHash: 'r',
      familyId: 'f',
      clientId: WEB.clientId,
      userUuid: ALICE.uuid,
      scope: ['profile'],
      issuedAt: T0,
      expiresAt: T0 + 1,
      usedAt: null,
      revokedAt: null,
    });
    await applySeed(parseSeed({ clients: [{ clientId: 'other', name: 'Other', redirectUris: ['http://127.0.0.1:1/cb'] }] }), repos, T0 + 1);
    expect(rows(db, 'select client_id from clients order by client_id')).toEqual([{ client_id: 'other' }, { client_id: WEB.clientId }]);
    expect(repos.users.findByUuid(ALICE.uuid)).toBeDefined();
    expect(repos.users.listOrganizations().map((o) => o.uuid)).toEqual([ORG.uuid]);
    expect(repos.tokens.findRefreshToken('r')).toBeDefined();
  });

  it('makes a client public when its seed entry has no clientSecret', async () => {
    const { repos } = setup();
    await applySeed(SEED, repos, T0);
    const { clientSecret: _secret, ...publicWeb } = SEED.clients![0]!;
    await applySeed({ clients: [publicWeb] }, repos, T0 + 1);
    expect(repos.clients.find(WEB.clientId)?.isPublic).toBe(true);
  });
});
