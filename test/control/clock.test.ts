import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { control } from '../helpers/control.js';
import { ALICE, WEB } from '../helpers/fixtures.js';
import { clientParams, codeFor, decodeJwt, postToken, tokensFor } from '../helpers/oauth.js';

const START = '2026-01-15T09:00:00.000Z';
const nonInteractive = { config: { interactiveLogin: false } };

function exchange(app: Parameters<typeof postToken>[0], code: string) {
  return postToken(app, { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0], ...clientParams(WEB) });
}

describe('GET|POST /_emulator/clock', () => {
  it('reads, advances, sets and resets the clock, answering now and the offset each time', async () => {
    const { app } = await buildTestApp();
    expect((await control(app, 'GET', '/clock')).json()).toEqual({ now: START, offsetSeconds: 0 });
    expect((await control(app, 'POST', '/clock', { advance: 90 })).json()).toEqual({ now: '2026-01-15T09:01:30.000Z', offsetSeconds: 90 });
    expect((await control(app, 'POST', '/clock', { advance: -30 })).json()).toEqual({ now: '2026-01-15T09:01:00.000Z', offsetSeconds: 60 });
    expect((await control(app, 'POST', '/clock', { set: '2030-01-01T00:00:00Z' })).json()).toEqual({
      now: '2030-01-01T00:00:00.000Z',
      offsetSeconds: (Date.parse('2030-01-01T00:00:00Z') - Date.parse(START)) / 1000,
    });
    expect((await control(app, 'POST', '/clock', { reset: true })).json()).toEqual({ now: START, offsetSeconds: 0 });
  });

  it('refuses a malformed move with a hint and leaves the clock alone', async () => {
    const { app, context } = await buildTestApp();
    const cases: Array<[unknown, string]> = [
      [{}, 'Send exactly one of advance, set or reset; received none'],
      [{ advance: 1, reset: true }, 'Send exactly one of advance, set or reset; received advance, reset'],
      [{ advance: '10' }, 'advance must be a number of seconds (negative moves back), within 100 years'],
      [{ set: 'tomorrow' }, 'set must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z'],
      [{ reset: false }, 'reset must be true'],
      [[1], 'Send a JSON object: {"advance": seconds}, {"set": "ISO-8601"} or {"reset": true}'],
    ];
    for (const [body, hint] of cases) {
      const res = await control(app, 'POST', '/clock', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_request', hint });
    }
    expect(context.clock.offsetSeconds).toBe(0);
  });
});

describe('expiry follows the emulator clock (SPEC §4, §8)', () => {
  it('expires an authorization code once the clock moves past AUTH_CODE_TTL', async () => {
    const { app } = await buildTestApp(nonInteractive);
    const fresh = await codeFor(app);
    await control(app, 'POST', '/clock', { advance: 55 });
    expect((await exchange(app, fresh)).statusCode).toBe(200);

    const stale = await codeFor(app);
    await control(app, 'POST', '/clock', { advance: 61 });
    const res = await exchange(app, stale);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The authorization code has expired',
      hint: 'Authorization codes are valid for 60 seconds; start a new authorization',
    });
  });

  it('expires an access token once the clock moves past ACCESS_TOKEN_TTL', async () => {
    const { app } = await buildTestApp(nonInteractive);
    const { access_token } = await tokensFor(app);
    const me = () => app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${access_token}` } });
    await control(app, 'POST', '/clock', { advance: 3599 });
    expect((await me()).statusCode).toBe(200);
    await control(app, 'POST', '/clock', { advance: 2 });
    const res = await me();
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator", error="invalid_token"');
    expect(res.json().hint).toBe('The access token has expired: use the refresh token to get a new one');
  });

  it('expires a refresh token once the clock moves past REFRESH_TOKEN_TTL', async () => {
    const { app } = await buildTestApp(nonInteractive);
    const { refresh_token } = await tokensFor(app);
    await control(app, 'POST', '/clock', { advance: 30 * 86_400 + 1 });
    const res = await postToken(app, { grant_type: 'refresh_token', refresh_token, ...clientParams(WEB) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'The refresh token is invalid.', hint: 'Token has expired: start a new authorization' });
  });

  it('stamps iat, nbf and exp from the moved clock', async () => {
    const { app } = await buildTestApp(nonInteractive);
    await control(app, 'POST', '/clock', { advance: 86_400 });
    const { payload } = decodeJwt((await tokensFor(app)).access_token);
    const iat = Date.parse(START) / 1000 + 86_400;
    expect(payload).toMatchObject({ iat, nbf: iat, exp: iat + 3600 });
  });
});

describe('POST /_emulator/reset', () => {
  it('forgets tokens and faults and resets the clock, keeping seed data and keys', async () => {
    const { app, context } = await buildTestApp(nonInteractive);
    const { access_token } = await tokensFor(app);
    const kid = context.keys.activeKid;
    await control(app, 'POST', '/faults', { path: '/nowhere', status: 500 });
    await control(app, 'POST', '/clock', { advance: 100 });
    const res = await control(app, 'POST', '/reset');
    expect(res.json()).toEqual({ reset: true, now: START, offsetSeconds: 0 });
    expect((await control(app, 'GET', '/faults')).json()).toEqual({ faults: [] });
    const me = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${access_token}` } });
    expect(me.json().hint).toBe('The access token is unknown to this server (was the emulator reset?)');
    expect(context.repos.users.findByEmail(ALICE.email)?.uuid).toBe(ALICE.uuid);
    expect(context.keys.activeKid).toBe(kid);
    expect((await tokensFor(app)).access_token).toMatch(/^eyJ/);
  });
});
