import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import { configWith } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator.js';
import { ISSUER } from '../helpers/app.js';
import { ALICE, BRUNO, TEST_SEED, WEB } from '../helpers/fixtures.js';
import { codeFor, decodeJwt, postToken } from '../helpers/oauth.js';

/** Every committed migration (drizzle-kit's journal), so adding one does not break this test. */
const MIGRATION_COUNT = (JSON.parse(readFileSync('migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] }).entries.length;

let dir: string;
let database: string;
const servers: Emulator[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'askara-cli-'));
  database = join(dir, 'askara.sqlite');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const status = await run(args, { out: (t) => void (out += t), err: (t) => void (err += t), env: { DATABASE_PATH: database, ISSUER, ...env } });
  return { status, out, err };
}

/** A server on the same database file, on the real clock (the CLI's tokens carry real times). */
async function server(): Promise<Emulator> {
  const emulator = await createEmulator({
    config: configWith({ databasePath: database, issuer: ISSUER, interactiveLogin: false, rateLimit: null }),
    seed: TEST_SEED,
  });
  await emulator.app.ready();
  servers.push(emulator);
  return emulator;
}

describe('askara-emulator --help', () => {
  it.each([
    [[], 'Usage: askara-emulator [options] [command]'],
    [['serve'], 'Usage: askara-emulator serve [options]'],
    [['migrate'], 'Usage: askara-emulator migrate [options]'],
    [['seed'], 'Usage: askara-emulator seed [options] <file>'],
    [['client'], 'Usage: askara-emulator client [options] [command]'],
    [['client', 'add'], 'Usage: askara-emulator client add [options]'],
    [['client', 'list'], 'Usage: askara-emulator client list [options]'],
    [['client', 'remove'], 'Usage: askara-emulator client remove [options] <client_id>'],
    [['user'], 'Usage: askara-emulator user [options] [command]'],
    [['user', 'add'], 'Usage: askara-emulator user add [options]'],
    [['user', 'list'], 'Usage: askara-emulator user list [options]'],
    [['token'], 'Usage: askara-emulator token [options]'],
    [['keys'], 'Usage: askara-emulator keys [options] [command]'],
    [['keys', 'rotate'], 'Usage: askara-emulator keys rotate [options]'],
    [['keys', 'list'], 'Usage: askara-emulator keys list [options]'],
  ])('%j --help prints the usage and exits 0', async (command, usage) => {
    const { status, out } = await cli([...command, '--help']);
    expect(status).toBe(0);
    expect(out).toContain(usage);
  });
});

describe('askara-emulator: bad command lines exit 2 with the reason', () => {
  it.each([
    [['frobnicate'], "error: unknown command 'frobnicate'"],
    [['client', 'frob'], "error: unknown command 'frob'"],
    [['client', 'add'], "error: required option '--name <name>' not specified"],
    [['token', '--client', 'x'], "error: required option '--user <email|uuid>' not specified"],
    [['serve', '--port', 'eighty'], "error: option '-p, --port <port>' argument 'eighty' is invalid. expected a whole number from 0 to 65535"],
    [['seed'], "error: missing required argument 'file'"],
    [['migrate', '--bogus'], "error: unknown option '--bogus'"],
  ])('%j', async (args, message) => {
    const { status, err } = await cli(args);
    expect(status).toBe(2);
    expect(err).toContain(message);
    expect(existsSync(database)).toBe(false);
  });
});

describe('askara-emulator on the database file of a server', () => {
  it('migrate creates and migrates the file; --database overrides DATABASE_PATH', async () => {
    const other = join(dir, 'other.sqlite');
    const { status, out } = await cli(['migrate', '--database', other]);
    expect([status, out]).toEqual([0, `Database ${other} is up to date (${MIGRATION_COUNT} migrations applied).\n`]);
    expect(existsSync(other)).toBe(true);
    expect(existsSync(database)).toBe(false);
  });

  it('seed applies a seed file; a malformed one fails with its path and field', async () => {
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(TEST_SEED));
    expect((await cli(['seed', file])).out).toBe(`Applied ${file} to ${database}: 1 organization(s), 2 user(s), 3 client(s).\n`);
    const users = JSON.parse((await cli(['user', 'list', '--json'])).out);
    expect(users.map((u: { email: string }) => u.email)).toEqual([ALICE.email, BRUNO.email]);
    expect(JSON.stringify(users)).not.toMatch(/password|argon2/i);
    writeFileSync(file, JSON.stringify({ users: [{ uuid: ALICE.uuid, email: 'not-an-email', password: 'x' }] }));
    const bad = await cli(['seed', file]);
    expect([bad.status, bad.err]).toEqual([1, `askara-emulator: seed file ${file}: users[0].email: must match format "email"\n`]);
  });

  it('client add registers a client a running server accepts at once, with the secret it printed', async () => {
    const emulator = await server();
    const added = await cli(['client', 'add', '--name', 'Acme PMS', '--id', 'acme', '--redirect-uri', 'http://127.0.0.1:9999/acme', '--scope', 'profile']);
    expect(added.status).toBe(0);
    const secret = /client_secret: (\S+)/.exec(added.out)?.[1] ?? '';
    expect(secret).toMatch(/^[\w-]{32}$/);
    const acme = { clientId: 'acme', clientSecret: secret, redirectUris: ['http://127.0.0.1:9999/acme'] };
    const code = await codeFor(emulator.app, { client: acme, scope: 'profile' });
    const res = await postToken(emulator.app, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9999/acme', client_id: 'acme', client_secret: secret });
    expect(res.statusCode).toBe(200);

    const list = await cli(['client', 'list']);
    expect(list.out).toMatch(/^CLIENT_ID +TYPE +NAME +GRANT TYPES +REDIRECT URIS\n/);
    expect(list.out).toMatch(/^acme +confidential +Acme PMS +authorization_code,refresh_token +http:\/\/127.0.0.1:9999\/acme$/m);
    expect(list.out).not.toContain(secret);
    expect(await cli(['client', 'add', '--name', 'Again', '--id', 'acme', '--redirect-uri', 'http://127.0.0.1/x'])).toMatchObject({ status: 1, err: 'askara-emulator: A client with id acme exists already; remove it first (client remove acme)\n' });
  });

  it('client add refuses contradictory options with the option named', async () => {
    expect(await cli(['client', 'add', '--name', 'P', '--public', '--grant', 'client_credentials'])).toMatchObject({
      status: 1,
      err: 'askara-emulator: --grant: a public client (no clientSecret) can never use client_credentials\n',
    });
    expect(await cli(['client', 'add', '--name', 'P', '--redirect-uri', 'nope'])).toMatchObject({ status: 1, err: 'askara-emulator: --redirect-uri[0]: "nope" is not an absolute URI\n' });
    expect(await cli(['client', 'add', '--name', 'P', '--grant', 'magic'])).toMatchObject({ status: 1, err: expect.stringContaining('askara-emulator: --grant[0]: must be one of') });
  });

  it('client remove removes a client and its tokens; an unknown id fails', async () => {
    const emulator = await server();
    const pair = JSON.parse((await cli(['token', '--client', WEB.clientId, '--user', ALICE.email])).out);
    expect((await cli(['client', 'remove', WEB.clientId])).out).toBe(`Removed client ${WEB.clientId} and its codes and tokens.\n`);
    const me = await emulator.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${pair.access_token}` } });
    expect(me.statusCode).toBe(401);
    expect(await cli(['client', 'remove', WEB.clientId])).toMatchObject({ status: 1, err: `askara-emulator: No client has id ${WEB.clientId}; \`client list\` shows them\n` });
  });

  it('user add adds a person a running server can issue tokens for; duplicates and bad options fail', async () => {
    const emulator = await server();
    const added = await cli(['user', 'add', '--email', 'dr.house@example.com', '--password', 'Pw-123456', '--first-name', 'Gregory', '--organization', TEST_SEED.organizations?.[0]?.uuid ?? '', '--role', 'member']);
    expect(added.status).toBe(0);
    const code = await codeFor(emulator.app, { loginHint: 'dr.house@example.com' });
    expect(code).toBeTruthy();
    expect((await cli(['user', 'list'])).out).toMatch(/dr\.house@example\.com +Gregory +7de3194a-05f7-43c3-9bc5-6d41a6e649e4 +ROLE_ORGANIZATION_MEMBER/);
    expect(await cli(['user', 'add', '--email', ALICE.email.toUpperCase(), '--password', 'x'])).toMatchObject({ status: 1, err: `askara-emulator: A user with e-mail ${ALICE.email.toUpperCase()} exists already\n` });
    expect(await cli(['user', 'add', '--email', 'a@b.example', '--password', 'x', '--role', 'boss'])).toMatchObject({ status: 1, err: 'askara-emulator: --role must be admin or member; received boss\n' });
    expect(await cli(['user', 'add', '--email', 'a@b.example', '--password', 'x', '--uuid', 'nope'])).toMatchObject({ status: 1, err: 'askara-emulator: --uuid: must match format "uuid"\n' });
  });

  it('token mints a pair a running server accepts; unknown clients fail with the hint', async () => {
    const emulator = await server();
    const { status, out } = await cli(['token', '--client', WEB.clientId, '--user', BRUNO.uuid, '--scope', 'profile']);
    expect(status).toBe(0);
    const pair = JSON.parse(out);
    expect(Object.keys(pair)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(decodeJwt(pair.access_token).payload).toMatchObject({ iss: ISSUER, sub: BRUNO.uuid, scope: 'profile' });
    const me = await emulator.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${pair.access_token}` } });
    expect([me.statusCode, me.json().email]).toEqual([200, BRUNO.email]);
    expect(await cli(['token', '--client', 'ghost', '--user', ALICE.email])).toMatchObject({ status: 1, err: 'askara-emulator: client_id `ghost` names no registered client\n' });
  });

  it('keys rotate makes a new active key; after a restart the server signs with it and old tokens still verify', async () => {
    const first = await server();
    const old = JSON.parse((await cli(['token', '--client', WEB.clientId, '--user', ALICE.email])).out);
    const oldKid = first.context.keys.activeKid;
    const rotated = await cli(['keys', 'rotate']);
    const kid = /New active signing key (\S+)/.exec(rotated.out)?.[1];
    expect(kid).toBeDefined();
    expect(kid).not.toBe(oldKid);
    expect((await cli(['keys', 'list'])).out).toMatch(new RegExp(`^${kid}  RS256  active .*\\n${oldKid}  RS256  retired `));
    await first.close();
    servers.splice(0);
    const restarted = await server();
    expect(restarted.context.keys.activeKid).toBe(kid);
    expect(restarted.context.keys.jwks().keys.map((k) => k.kid)).toEqual([kid, oldKid]);
    const me = await restarted.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${old.access_token}` } });
    expect(me.statusCode).toBe(200);
  }, 20_000);

  it('stops on invalid configuration with the variable named', async () => {
    expect(await cli(['migrate'], { ACCESS_TOKEN_TTL: 'soon' })).toMatchObject({
      status: 1,
      err: 'askara-emulator: Invalid configuration:\n  - ACCESS_TOKEN_TTL must be a whole number from 1 to 31536000, got "soon"\n',
    });
  });
});
