import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokenKey } from '../../src/oauth/refresh-token-format.js';
import { ensureBuilt, startChildServer, type ChildServer } from '../helpers/child-server.js';
import { ALICE, BRUNO, TEST_SEED, WEB } from '../helpers/fixtures.js';
import { decodeJwt } from '../helpers/oauth.js';

/*
 * The built server on a file database, killed with SIGKILL while several refresh chains rotate
 * their tokens, then restarted on the same file. A client holds what it received: each pair must
 * still be there after the crash (SQLite WAL with synchronous=NORMAL keeps every commit through a
 * process crash; src/storage/database.ts).
 */

const CHAINS = 8;
const KILL_AFTER = 240; // received rotations, over all chains
const MAX_STEPS = 400; // per chain: the kill comes long before
// fixed, so that the tokens of the first run verify on the second whatever the port
const ISSUER = 'http://crash.test';

const dir = mkdtempSync(join(tmpdir(), 'askara-crash-'));
const DATABASE_PATH = join(dir, 'askara.sqlite');
const SEED_PATH = join(dir, 'seed.json');
const VARS = { DATABASE_PATH, ASKARA_SEED: SEED_PATH, RATE_LIMIT: 'off', ISSUER };

let server: ChildServer | undefined;
beforeAll(() => {
  ensureBuilt();
  writeFileSync(SEED_PATH, JSON.stringify(TEST_SEED));
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Pair {
  access_token: string;
  refresh_token: string;
}
interface Chain {
  received: Pair[];
  /** a request was sent whose answer never came (the server died under it) */
  unanswered: boolean;
  /** rotations found in the file beyond those received (0, or 1 when an unanswered one committed) */
  extra: number;
}

async function post(url: string, path: string, body: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

const refresh = (url: string, token: string) =>
  post(url, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: token, client_id: WEB.clientId, client_secret: WEB.clientSecret });

async function meStatus(url: string, accessToken: string): Promise<number> {
  const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
}

describe('crash durability of the built server (kill -9 under load)', () => {
  it('keeps every token pair a client received, and the database intact, through a SIGKILL mid-load', async () => {
    server = await startChildServer(VARS);
    const first = server;
    const chains: Chain[] = [];
    for (let i = 0; i < CHAINS; i += 1) {
      const minted = await post(first.url, '/_emulator/tokens', { client_id: WEB.clientId, user: i % 2 ? BRUNO.email : ALICE.email });
      expect(minted.status).toBe(200);
      chains.push({ received: [minted.body as unknown as Pair], unanswered: false, extra: 0 });
    }

    let total = 0;
    let killed = false;
    const drive = async (chain: Chain) => {
      for (let step = 0; step < MAX_STEPS && !killed; step += 1) {
        const last = chain.received.at(-1) as Pair;
        chain.unanswered = true;
        let answer: Awaited<ReturnType<typeof refresh>>;
        try {
          answer = await refresh(first.url, last.refresh_token);
        } catch (e) {
          if (!killed) throw e;
          return; // the server died under this request: the client never saw an answer
        }
        chain.unanswered = false;
        // an answer read after the kill was sent before it: the client holds it all the same
        if (answer.status !== 200) throw new Error(`refresh answered ${answer.status} ${JSON.stringify(answer.body)}`);
        chain.received.push(answer.body as unknown as Pair);
        total += 1;
        if (total === KILL_AFTER) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(chains.map(drive));
    await first.stop();
    expect(killed).toBe(true);
    expect(first.child.signalCode).toBe('SIGKILL');

    // the file after the crash: intact, and holding every pair received (plus at most the one
    // rotation per chain that committed while its answer was lost with the process)
    const db = new Database(DATABASE_PATH);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const familyOf = db.prepare('select family_id from refresh_tokens where token_hash = ?').pluck();
      const refreshCount = db.prepare('select count(*) from refresh_tokens where family_id = ?').pluck();
      const accessCount = db.prepare('select count(*) from access_tokens where family_id = ?').pluck();
      for (const chain of chains) {
        const family = familyOf.get(refreshTokenKey(chain.received[0]?.refresh_token ?? '')) as string;
        chain.extra = (refreshCount.get(family) as number) - chain.received.length;
        expect(chain.extra === 0 || (chain.extra === 1 && chain.unanswered)).toBe(true);
        expect(accessCount.get(family)).toBe(chain.received.length + chain.extra);
        for (const pair of chain.received) expect(familyOf.get(refreshTokenKey(pair.refresh_token))).toBe(family);
      }
    } finally {
      db.close();
    }

    server = await startChildServer(VARS);
    const second = server;
    // every access token received is still accepted (they live an hour; the run takes seconds)
    const received = chains.flatMap((c) => c.received);
    for (const pair of received) expect((decodeJwt(pair.access_token).payload.exp as number) * 1000).toBeGreaterThan(Date.now());
    const statuses = await Promise.all(received.map((pair) => meStatus(second.url, pair.access_token)));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    for (const chain of chains) {
      const last = chain.received.at(-1) as Pair;
      // the earlier refresh tokens of a chain were spent by that chain
      for (const pair of chain.received.slice(0, -1)) {
        expect((await post(second.url, '/oauth2/introspect', { token: pair.refresh_token, client_id: WEB.clientId, client_secret: WEB.clientSecret })).body).toEqual({ active: false });
      }
      const answer = await refresh(second.url, last.refresh_token);
      if (chain.extra === 0) {
        // the last token received works, once
        expect(answer.status).toBe(200);
        expect((await refresh(second.url, last.refresh_token)).status).toBe(400);
      } else {
        // spent by this chain's own request, whose answer the crash swallowed
        expect(answer.status).toBe(400);
        expect(answer.body.hint).toMatch(/^Token has been used already/);
      }
    }
    // the chain whose answer triggered the kill had nothing in flight
    expect(chains.filter((c) => c.extra === 0).length).toBeGreaterThanOrEqual(1);
    await second.stop('SIGTERM');
    expect(second.child.exitCode).toBe(0);

    const after = new Database(DATABASE_PATH, { readonly: true });
    try {
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      after.close();
    }
  }, 60_000);
});
