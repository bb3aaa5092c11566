import { describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ALICE, TEST_SEED } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, databaseSnapshot, decideConsent, decodeJwt, logIn, tokensFor } from '../helpers/oauth.js';

const START = '2026-01-15T09:00:00.000Z';
const INVALID_REQUEST =
  'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.';

function clock(app: TestApp['app'], body?: unknown, options: { remoteAddress?: string; headers?: Record<string, string> } = {}) {
  return app.inject({
    method: body === undefined ? 'GET' : 'POST',
    url: '/_emulator/clock',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

function reset(app: TestApp['app'], options: { remoteAddress?: string; headers?: Record<string, string> } = {}) {
  return app.inject({ method: 'POST', url: '/_emulator/reset', ...(options.headers ? { headers: options.headers } : {}), ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}) });
}

describe('GET|POST /_emulator/clock', () => {
  it('reads the clock', async () => {
    const { app } = await buildTestApp();
    const res = await clock(app);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ now: START, offsetSeconds: 0 });
  });

  it('advances, moves back, sets and resets the clock', async () => {
    const { app } = await buildTestApp();
    expect((await clock(app, { advance: 90 })).json()).toEqual({ now: '2026-01-15T09:01:30.000Z', offsetSeconds: 90 });
    expect((await clock(app, { advance: -30 })).json()).toEqual({ now: '2026-01-15T09:01:00.000Z', offsetSeconds: 60 });
    expect((await clock(app, { set: '2030-01-01T01:00:00+01:00' })).json()).toEqual({ now: '2030-01-01T00:00:00.000Z', offsetSeconds: 124_988_400 });
    expect((await clock(app, { reset: true })).json()).toEqual({ now: START, offsetSeconds: 0 });
  });

  it('moves the iat of the tokens it issues', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const before = decodeJwt((await tokensFor(app)).access_token).payload.iat as number;
    await clock(app, { advance: 86_400 });
    expect(decodeJwt((await tokensFor(app)).access_token).payload.iat).toBe(before + 86_400);
  });

  it.each([
    ['no body', undefined, 'Send a JSON object: {"advance": seconds}, {"set": "ISO-8601"} or {"reset": true}'],
    ['an array', [], 'Send a JSON object: {"advance": seconds}, {"set": "ISO-8601"} or {"reset": true}'],
    ['an empty object', {}, 'Send exactly one of advance, set or reset; received none'],
    ['two operations', { advance: 5, set: '2030-01-01T00:00:00Z' }, 'Send exactly one of advance, set or reset; received advance, set'],
    ['advance as a string', { advance: '60' }, 'advance must be a number of seconds (negative moves back), within 100 years'],
    ['advance beyond 100 years', { advance: 200 * 365 * 86_400 }, 'advance must be a number of seconds (negative moves back), within 100 years'],
    ['set that is not a date', { set: 'tomorrow' }, 'set must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z'],
    ['set with an impossible month', { set: '2030-13-45T00:00:00Z' }, 'set must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z'],
    ['set as a number', { set: 1_900_000_000 }, 'set must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z'],
    ['reset false', { reset: false }, 'reset must be true'],
  ])('refuses %s with a hint and leaves the clock alone', async (_what, body, hint) => {
    const { app } = await buildTestApp();
    const res = await app.inject({
      method: 'POST',
      url: '/_emulator/clock',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ error: 'invalid_request', error_description: INVALID_REQUEST, hint });
    expect((await clock(app)).json()).toEqual({ now: START, offsetSeconds: 0 });
  });
});

describe('POST /_emulator/reset', () => {
  it('forgets tokens, codes, sessions, consents and interactions, and resets the clock', async () => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    await decideConsent(browser, await logIn(browser, authorizeQuery(), ALICE), 'authorize');
    await clock(app, { advance: 3600 });
    const before = databaseSnapshot(context);
    for (const table of ['sessions', 'consents', 'interactions', 'authorization_codes']) expect(before[table], table).not.toEqual([]);

    const res = await reset(app);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ reset: true, now: START, offsetSeconds: 0 });
    const after = databaseSnapshot(context);
    for (const table of ['access_tokens', 'refresh_tokens', 'authorization_codes', 'device_codes', 'interactions', 'consents', 'sessions', 'login_failures']) {
      expect(after[table], table).toEqual([]);
    }
    // the browser is logged out: the login page again
    expect((await browser.go('GET', authorizeQuery())).body).toContain('<h1>Log in</h1>');
  });

  it('keeps users, organizations, clients and the signing key', async () => {
    const { app, context } = await buildTestApp({ config: { interactiveLogin: false } });
    await tokensFor(app);
    const before = databaseSnapshot(context);
    const kid = context.keys.activeKid;
    await reset(app);
    const after = databaseSnapshot(context);
    for (const table of ['users', 'organizations', 'clients', 'signing_keys']) expect(after[table], table).toEqual(before[table]);
    expect(after.users).toHaveLength(TEST_SEED.users?.length ?? 0);
    const { keys } = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(keys.map((k: { kid: string }) => k.kid)).toEqual([kid]);
    expect((await tokensFor(app)).access_token).toBeTruthy();
  });

  it('runs the reset hooks other features register', async () => {
    const { app, context } = await buildTestApp();
    let called = 0;
    context.onReset.push(() => {
      called += 1;
    });
    await reset(app);
    expect(called).toBe(1);
  });
});

describe('the control API guard', () => {
  it.each(['10.0.0.5', '::ffff:192.168.1.20', '2001:db8::1'])('refuses %s without ADMIN_TOKEN, and changes nothing', async (remoteAddress) => {
    const { app, context } = await buildTestApp({ config: { interactiveLogin: false } });
    await tokensFor(app);
    const before = databaseSnapshot(context);
    const expected = {
      error: 'access_denied',
      error_description: 'The resource owner or authorization server denied the request.',
      hint: 'The control API answers only loopback clients when ADMIN_TOKEN is not set; set ADMIN_TOKEN to use it from elsewhere',
    };
    for (const res of [await clock(app, undefined, { remoteAddress }), await clock(app, { advance: 60 }, { remoteAddress }), await reset(app, { remoteAddress })]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual(expected);
    }
    expect(databaseSnapshot(context)).toEqual(before);
    expect((await clock(app)).json().offsetSeconds).toBe(0);
  });

  it.each(['127.0.0.1', '127.5.6.7', '::1', '::ffff:127.0.0.1'])('answers the loopback address %s without ADMIN_TOKEN', async (remoteAddress) => {
    const { app } = await buildTestApp();
    expect((await clock(app, undefined, { remoteAddress })).statusCode).toBe(200);
  });

  describe('with ADMIN_TOKEN set', () => {
    const config = { adminToken: 'admin-secret-token' };

    it('refuses a request without the token, even from loopback', async () => {
      const { app } = await buildTestApp({ config });
      const res = await clock(app, { advance: 60 });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator-control"');
      expect(res.json()).toEqual({
        error: 'invalid_token',
        error_description: 'Authentication is required.',
        hint: 'The control API needs `Authorization: Bearer <ADMIN_TOKEN>` (ADMIN_TOKEN is set on this emulator)',
      });
      expect((await clock(app, undefined, { headers: { authorization: 'Bearer admin-secret-token' } })).json().offsetSeconds).toBe(0);
    });

    it('refuses a wrong token without echoing it', async () => {
      const { app, context } = await buildTestApp({ config });
      const before = databaseSnapshot(context);
      const res = await reset(app, { headers: { authorization: 'Bearer not-the-admin-token' } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator-control", error="invalid_token"');
      expect(res.json()).toEqual({
        error: 'invalid_token',
        error_description: 'The access token provided is expired, revoked, malformed, or invalid for other reasons.',
        hint: 'The bearer token does not match ADMIN_TOKEN',
      });
      expect(res.body).not.toContain('not-the-admin-token');
      expect(databaseSnapshot(context)).toEqual(before);
    });

    it('accepts the right token from any address', async () => {
      const { app } = await buildTestApp({ config });
      const res = await clock(app, { advance: 60 }, { remoteAddress: '203.0.113.9', headers: { authorization: 'Bearer admin-secret-token' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().offsetSeconds).toBe(60);
    });
  });
});
