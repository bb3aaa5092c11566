import { describe, expect, it } from 'vitest';
import type { RefreshReusePolicy } from '../../src/config.js';
import { refreshTokenKey } from '../../src/oauth/refresh-token-format.js';
import { ALICE, DESKTOP, WEB } from '../helpers/fixtures.js';
import { startServer, type RunningServer } from '../helpers/server.js';

/*
 * Races over real sockets: N requests sent at once with fetch to the server listening on loopback,
 * so they interleave in the server's event loop as production traffic would (the signing step is
 * asynchronous, so several requests are "in flight" between reading and spending a credential).
 */

const N = 20;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const INVALID_REFRESH = 'The refresh token is invalid.';

interface Answer {
  status: number;
  body: Record<string, string>;
}

async function post(server: RunningServer, path: string, body: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

async function me(server: RunningServer, accessToken: string): Promise<number> {
  const res = await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  await res.arrayBuffer();
  return res.status;
}

/** N copies of the same request, all on the wire before any answer is read. */
function race(server: RunningServer, path: string, body: Record<string, string>): Promise<Answer[]> {
  return Promise.all(Array.from({ length: N }, () => post(server, path, body)));
}

function webRefresh(refreshToken: string): Record<string, string> {
  return { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: WEB.clientId, client_secret: WEB.clientSecret };
}

/** An authorization code through /authorize with INTERACTIVE_LOGIN=false, over the socket. */
/** The one 200 among the answers (its token pair) and the N - 1 refusals. */
function oneWinner(answers: Answer[]): { pair: { access_token: string; refresh_token: string }; losers: Answer[] } {
  const winners = answers.filter((a) => a.status === 200);
  expect(winners).toHaveLength(1);
  const losers = answers.filter((a) => a.status !== 200);
  expect(losers).toHaveLength(N - 1);
  return { pair: winners[0]?.body as { access_token: string; refresh_token: string }, losers };
}

async function codeOverSocket(server: RunningServer): Promise<string> {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: WEB.clientId,
    redirect_uri: WEB.redirectUris[0],
    scope: 'profile organization',
    state: 's',
    login_hint: ALICE.email,
  });
  const res = await fetch(`${server.url}/authorize?${q}`, { redirect: 'manual' });
  await res.arrayBuffer();
  const code = new URL(res.headers.get('location') ?? '', server.url).searchParams.get('code');
  if (!code) throw new Error(`no code: ${res.status} ${res.headers.get('location')}`);
  return code;
}

async function mint(server: RunningServer): Promise<{ access_token: string; refresh_token: string }> {
  const res = await post(server, '/_emulator/tokens', { client_id: WEB.clientId, user: ALICE.email });
  if (res.status !== 200) throw new Error(`mint failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { access_token: string; refresh_token: string };
}

function familyCounts(server: RunningServer, refreshToken: string): { access: number; refresh: number } {
  const { db } = server.context;
  const sql = db.$client;
  const family = (sql.prepare('select family_id from refresh_tokens where token_hash = ?').pluck().get(refreshTokenKey(refreshToken)) as string | undefined) ?? '';
  return {
    access: sql.prepare('select count(*) from access_tokens where family_id = ?').pluck().get(family) as number,
    refresh: sql.prepare('select count(*) from refresh_tokens where family_id = ?').pluck().get(family) as number,
  };
}

describe('concurrent requests over real sockets', { timeout: 20_000 }, () => {
  it(`exchanges one authorization code raced ${N} times exactly once, and the replays revoke what it issued (RFC 6749 §4.1.2)`, async () => {
    const server = await startServer({ config: { interactiveLogin: false } });
    const code = await codeOverSocket(server);
    const answers = await race(server, '/oauth2/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: WEB.redirectUris[0],
      client_id: WEB.clientId,
      client_secret: WEB.clientSecret,
    });

    const { pair, losers } = oneWinner(answers);
    for (const loser of losers) {
      expect(loser).toEqual({
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: 'The authorization code has been revoked',
          hint: 'The authorization code was already used (codes are single-use); the tokens issued from its first use are now revoked',
        },
      });
    }
    // one pair was issued, and every replay revoked it
    expect(familyCounts(server, pair.refresh_token)).toEqual({ access: 1, refresh: 1 });
    expect(await me(server, pair.access_token)).toBe(401);
    expect(await post(server, '/oauth2/token', webRefresh(pair.refresh_token))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: INVALID_REFRESH, hint: 'Token has been revoked' },
    });
  });

  it(`under REFRESH_REUSE=revoke-family, lets one of ${N} concurrent refreshes succeed and the spent-token replays revoke the whole family`, async () => {
    const server = await startServer({ config: { refreshReuse: 'revoke-family' satisfies RefreshReusePolicy } });
    const first = await mint(server);
    const answers = await race(server, '/oauth2/token', webRefresh(first.refresh_token));

    const { pair, losers } = oneWinner(answers);
    for (const loser of losers) {
      expect(loser.status).toBe(400);
      expect(loser.body.error).toBe('invalid_grant');
      expect(loser.body.error_description).toBe(INVALID_REFRESH);
      // the first replay revokes the family; a replay that reads the token after that finds it revoked
      expect([
        'Token has been used already: refresh tokens are single-use, so store the new one after each refresh; every token of this authorization is now revoked (REFRESH_REUSE=revoke-family)',
        'Token has been revoked',
      ]).toContain(loser.body.hint);
    }
    expect(losers.some((l) => l.body.hint?.startsWith('Token has been used already'))).toBe(true);

    // exactly one rotation: the minted pair and the winner's pair
    expect(familyCounts(server, pair.refresh_token)).toEqual({ access: 2, refresh: 2 });
    expect(await me(server, first.access_token)).toBe(401);
    expect(await me(server, pair.access_token)).toBe(401);
    expect((await post(server, '/oauth2/token', webRefresh(pair.refresh_token))).body.hint).toBe('Token has been revoked');
  });

  it(`under REFRESH_REUSE=reject, lets one of ${N} concurrent refreshes succeed and leaves the new pair valid`, async () => {
    const server = await startServer({ config: { refreshReuse: 'reject' satisfies RefreshReusePolicy } });
    const first = await mint(server);
    const answers = await race(server, '/oauth2/token', webRefresh(first.refresh_token));

    const { pair, losers } = oneWinner(answers);
    for (const loser of losers) {
      expect(loser).toEqual({
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: INVALID_REFRESH,
          hint: 'Token has been used already: refresh tokens are single-use, so store the new one after each refresh',
        },
      });
    }
    expect(familyCounts(server, pair.refresh_token)).toEqual({ access: 2, refresh: 2 });
    // nothing revoked: the old access token lives until it expires, and the new pair works
    expect(await me(server, first.access_token)).toBe(200);
    expect(await me(server, pair.access_token)).toBe(200);
    const next = await post(server, '/oauth2/token', webRefresh(pair.refresh_token));
    expect(next.status).toBe(200);
  });

  it(`issues exactly one token pair to ${N} concurrent device polls after approval`, async () => {
    const server = await startServer({ config: { devicePollInterval: 0 } });
    const authorization = await post(server, '/oauth2/device-code', { client_id: DESKTOP.clientId });
    const { device_code, user_code } = authorization.body as { device_code: string; user_code: string };
    const approved = await fetch(`${server.url}/_emulator/device/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_code, email: ALICE.email }),
    });
    expect(approved.status).toBe(200);

    const answers = await race(server, '/oauth2/token', { grant_type: DEVICE_GRANT, device_code, client_id: DESKTOP.clientId });

    const { pair, losers } = oneWinner(answers);
    for (const loser of losers) {
      expect(loser.status).toBe(400);
      expect(loser.body.error).toBe('invalid_grant');
      expect([
        'This device_code was already exchanged for tokens (device codes are single-use); start a new device authorization with POST /oauth2/device-code',
        'This device_code was already exchanged for tokens by a concurrent poll (device codes are single-use); start a new device authorization with POST /oauth2/device-code',
      ]).toContain(loser.body.hint);
    }
    expect(familyCounts(server, pair.refresh_token)).toEqual({ access: 1, refresh: 1 });
    // a spent device code revokes nothing (RFC 8628 asks nothing of it): the pair stays valid
    expect(await me(server, pair.access_token)).toBe(200);
  });
});
