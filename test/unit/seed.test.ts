import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_SEED } from '../../src/seed/demo.js';
import { loadSeedFile, parseSeed, SeedError, seedProblems } from '../../src/seed/load-seed.js';
import { seedSchema } from '../../src/seed/seed-schema.js';
import { ORG, TEST_SEED } from '../helpers/fixtures.js';

const UUID = '9e2c23ee-90f3-495c-8e2f-8f2404bcd64d';
const dir = mkdtempSync(join(tmpdir(), 'askara-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SeedError) return e.message;
    throw e;
  }
  throw new Error('expected a SeedError');
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the seed schema', () => {
  // scripts/seed-validator.mjs compiles it with validateSchema: false (a faster build), so it is checked here
  it('is a valid JSON Schema (draft-07 meta-schema)', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(seedSchema), JSON.stringify(ajv.errors)).toBe(true);
  });
});

describe('parseSeed', () => {
  it('accepts the demo data and the test seed', () => {
    expect(() => parseSeed(DEMO_SEED)).not.toThrow();
    expect(() => parseSeed(TEST_SEED)).not.toThrow();
  });

  it('defaults grantTypes to authorization_code and refresh_token, and scopes to profile and organization', () => {
    const seed = parseSeed({ clients: [{ clientId: 'c', name: 'C', redirectUris: ['http://127.0.0.1:3000/cb'] }] });
    expect(seed.clients?.[0]).toMatchObject({ grantTypes: ['authorization_code', 'refresh_token'], scopes: ['profile', 'organization'] });
  });

  it('accepts the short form device_code and stores the RFC 8628 grant type', () => {
    const seed = parseSeed({ clients: [{ clientId: 'tv', name: 'TV', grantTypes: ['device_code'] }] });
    expect(seed.clients?.[0]?.grantTypes).toEqual(['urn:ietf:params:oauth:grant-type:device_code']);
  });

  it.each([
    ['a top level that is not an object', [], '(top level): must be object'],
    ['an unknown top-level section', { patients: [] }, '(top level): unknown field "patients"'],
    ['a user uuid that is not a uuid', { users: [{ uuid: 'x', email: 'a@b.example', password: 'p' }] }, 'users[0].uuid: must match format "uuid"'],
    ['a malformed e-mail', { users: [{ uuid: UUID, email: 'not-an-email', password: 'p' }] }, 'users[0].email: must match format "email"'],
    ['an empty password', { users: [{ uuid: UUID, email: 'a@b.example', password: '' }] }, 'users[0].password: must NOT have fewer than 1 characters'],
    [
      'an unknown organization role',
      { users: [{ uuid: UUID, email: 'a@b.example', password: 'p', organizationRole: 'ROLE_X' }] },
      'users[0].organizationRole: must be one of "ROLE_ORGANIZATION_ADMIN", "ROLE_ORGANIZATION_MEMBER", null',
    ],
    ['a user without a password', { users: [{ uuid: UUID, email: 'a@b.example' }] }, 'users[0].password: is required'],
    ['a client without a name', { clients: [{ clientId: 'c' }] }, 'clients[0].name: is required'],
    ['an unknown user field', { users: [{ uuid: UUID, email: 'a@b.example', password: 'p', age: 40 }] }, 'users[0]: unknown field "age"'],
    ['a latitude that is not a number', { organizations: [{ uuid: UUID, latitude: 'north' }] }, 'organizations[0].latitude: must be number,null'],
    [
      'an unknown grant type',
      { clients: [{ clientId: 'c', name: 'C', grantTypes: ['magic'] }] },
      'clients[0].grantTypes[0]: must be one of "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "device_code", "client_credentials", "password", "implicit"',
    ],
    ['redirectUris given as a string', { clients: [{ clientId: 'c', name: 'C', redirectUris: 'http://x.example/cb' }] }, 'clients[0].redirectUris: must be array'],
    ['an empty client secret', { clients: [{ clientId: 'c', name: 'C', clientSecret: '' }] }, 'clients[0].clientSecret: must NOT have fewer than 1 characters'],
    ['a scope with a space', { clients: [{ clientId: 'c', name: 'C', scopes: ['a b'] }] }, 'clients[0].scopes[0]: must match pattern "^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$"'],
  ])('refuses %s, naming the field path', (_what, data, message) => {
    expect(problemOf(() => parseSeed(data))).toBe(message);
  });

  describe('cross-field rules (SPEC §3)', () => {
    it('refuses a user whose organization is neither in the seed nor already stored', () => {
      expect(problemOf(() => parseSeed({ users: [{ uuid: UUID, email: 'a@b.example', password: 'p', organization: ORG.uuid }] }))).toBe(
        `users[0].organization: no organization has uuid ${ORG.uuid}`,
      );
    });

    it('accepts an organization stored by an earlier seed', () => {
      const seed = { users: [{ uuid: UUID, email: 'a@b.example', password: 'p', organization: ORG.uuid }] };
      expect(() => parseSeed(seed, new Set([ORG.uuid]))).not.toThrow();
    });

    it('refuses two users with the same e-mail, whatever its case', () => {
      const users = [
        { uuid: UUID, email: 'a@b.example', password: 'p' },
        { uuid: ORG.uuid, email: 'A@B.example', password: 'p' },
      ];
      expect(problemOf(() => parseSeed({ users }))).toBe('users[1].email: A@B.example is used by another user of the seed');
    });

    it('refuses two records with the same uuid or clientId, since the second would silently replace the first', () => {
      const redirectUris = ['http://127.0.0.1:3000/cb'];
      expect(problemOf(() => parseSeed({ organizations: [{ uuid: ORG.uuid }, { uuid: ORG.uuid, name: 'Other' }] }))).toBe(
        `organizations[1].uuid: ${ORG.uuid} is used by organizations[0]`,
      );
      const users = [
        { uuid: UUID, email: 'a@b.example', password: 'p' },
        { uuid: UUID, email: 'c@d.example', password: 'p' },
      ];
      expect(problemOf(() => parseSeed({ users }))).toBe(`users[1].uuid: ${UUID} is used by users[0]`);
      const clients = [
        { clientId: 'c', name: 'C', redirectUris },
        { clientId: 'c', name: 'D', redirectUris },
      ];
      expect(problemOf(() => parseSeed({ clients }))).toBe('clients[1].clientId: c is used by clients[0]');
    });

    it.each(['client_credentials', 'password'])('refuses %s for a public client', (grant) => {
      expect(problemOf(() => parseSeed({ clients: [{ clientId: 'c', name: 'C', grantTypes: [grant] }] }))).toBe(
        `clients[0].grantTypes: a public client (no clientSecret) can never use ${grant}`,
      );
    });

    it('refuses an authorization_code client without redirect URIs', () => {
      expect(problemOf(() => parseSeed({ clients: [{ clientId: 'c', name: 'C' }] }))).toBe(
        'clients[0].redirectUris: needed for the authorization_code and implicit grants',
      );
    });

    it('refuses a relative redirect URI and one with a fragment', () => {
      expect(problemOf(() => parseSeed({ clients: [{ clientId: 'c', name: 'C', redirectUris: ['/cb'] }] }))).toBe(
        'clients[0].redirectUris[0]: "/cb" is not an absolute URI',
      );
      expect(problemOf(() => parseSeed({ clients: [{ clientId: 'c', name: 'C', redirectUris: ['http://x.example/cb#f'] }] }))).toBe(
        'clients[0].redirectUris[0]: "http://x.example/cb#f" has a fragment, which RFC 6749 §3.1.2 forbids',
      );
    });

    it('refuses redirect URIs that would run script or inline content, and accepts an app scheme', () => {
      expect(problemOf(() => parseSeed({ clients: [{ clientId: 'c', name: 'C', redirectUris: ['javascript:alert(1)'] }] }))).toBe(
        'clients[0].redirectUris[0]: "javascript:alert(1)" uses the javascript: scheme, which cannot receive an authorization response; use http(s) or an app\'s private-use scheme',
      );
      expect(problemOf(() => parseSeed({ clients: [{ clientId: 'c', name: 'C', redirectUris: ['data:text/html,x'] }] }))).toMatch(/uses the data: scheme/);
      expect(parseSeed({ clients: [{ clientId: 'c', name: 'C', redirectUris: ['com.example.pms:/oauth/callback'] }] }).clients?.[0]?.redirectUris).toEqual([
        'com.example.pms:/oauth/callback',
      ]);
    });
  });
});

describe('loadSeedFile', () => {
  it('reads a JSON file', () => {
    const path = file('seed.json', JSON.stringify(TEST_SEED));
    expect(loadSeedFile(path).users?.map((u) => u.email)).toEqual(TEST_SEED.users?.map((u) => u.email));
  });

  it('reads a YAML file (.yaml and .yml)', () => {
    const yaml = `organizations:\n  - uuid: ${ORG.uuid}\n    name: Cabinet des Lilas\nusers:\n  - uuid: ${UUID}\n    email: a@b.example\n    password: "p"\n    organization: ${ORG.uuid}\nclients:\n  - clientId: tv\n    name: TV\n    grantTypes: [device_code]\n`;
    for (const name of ['seed.yaml', 'seed.yml']) {
      const seed = loadSeedFile(file(name, yaml));
      expect(seed.users?.[0]?.organization).toBe(ORG.uuid);
      expect(seed.clients?.[0]?.grantTypes).toEqual(['urn:ietf:params:oauth:grant-type:device_code']);
    }
  });

  it('names the path and the field of a schema error', () => {
    const path = file('bad-field.json', JSON.stringify({ users: [{ uuid: UUID, email: 'nope', password: 'p' }] }));
    expect(problemOf(() => loadSeedFile(path))).toBe(`seed file ${path}: users[0].email: must match format "email"`);
  });

  it('names the path and the field of a YAML schema error', () => {
    const path = file('bad-field.yaml', 'clients:\n  - clientId: c\n    name: C\n    grantTypes: [magic]\n');
    expect(problemOf(() => loadSeedFile(path))).toMatch(new RegExp(`^seed file ${path}: clients\\[0\\]\\.grantTypes\\[0\\]: must be one of `));
  });

  it('names the path of a file that is not JSON', () => {
    const path = file('broken.json', '{"users": [');
    expect(problemOf(() => loadSeedFile(path))).toMatch(new RegExp(`^seed file ${path}: not valid JSON \\(`));
  });

  it('names the path of a file that is not YAML', () => {
    const path = file('broken.yaml', 'users: [\n  - : :\n');
    expect(problemOf(() => loadSeedFile(path))).toMatch(new RegExp(`^seed file ${path}: not valid YAML \\(`));
  });

  it('names the path of a file that cannot be read', () => {
    const path = join(dir, 'missing.json');
    expect(problemOf(() => loadSeedFile(path))).toMatch(new RegExp(`^seed file ${path}: cannot read it \\(ENOENT`));
  });
});

describe('seedProblems (the console shows every problem at once)', () => {
  it('reports every broken rule, schema and cross-field alike, with where it is', () => {
    const result = seedProblems({
      clients: [{ clientId: 'a b', name: 'x', redirectUris: ['javascript:alert(1)', '/relative'], grantTypes: ['client_credentials'] }],
    });
    expect(result.problems.map((p) => p.at)).toEqual([
      'clients[0].clientId',
      'clients[0].grantTypes',
      'clients[0].redirectUris[0]',
      'clients[0].redirectUris[1]',
    ]);
    expect(seedProblems({ clients: [{ clientId: 'ok', name: 'Ok', redirectUris: ['http://localhost/cb'] }] })).toMatchObject({ problems: [], seed: { clients: [{ clientId: 'ok' }] } });
  });
});
