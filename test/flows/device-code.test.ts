import { describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, ISSUER } from '../helpers/app.js';
import { BRUNO, DESKTOP, TEST_SEED, WEB } from '../helpers/fixtures.js';
import { basicAuth, decideDeviceByControl, decodeJwt, deviceAuthorize, deviceCodeFor, devicePoll, postToken } from '../helpers/oauth.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const START_AGAIN = 'start a new device authorization with POST /oauth2/device-code';

/** A confidential client with the device grant but no refresh_token, for the cases the seed lacks. */
const KIOSK = {
  clientId: 'kiosk-client',
  clientSecret: 'kiosk-secret-9f8e7d6c',
  name: 'Test Kiosk',
  redirectUris: ['http://127.0.0.1:9999/kiosk'],
  grantTypes: [DEVICE_GRANT],
  scopes: ['profile'],
};
const SEED = { ...TEST_SEED, clients: [...(TEST_SEED.clients ?? []), KIOSK] };

function expectError(res: LightMyRequestResponse, status: number, error: string, hint: string | RegExp) {
  expect({ status: res.statusCode, cache: res.headers['cache-control'] }).toEqual({ status, cache: 'no-store' });
  const body = res.json();
  expect(Object.keys(body)).toEqual(['error', 'error_description', 'hint']);
  expect(body.error).toBe(error);
  if (typeof hint === 'string') expect(body.hint).toBe(hint);
  else expect(body.hint).toMatch(hint);
  return body;
}

describe('POST /oauth2/device-code', () => {
  it('answers the RFC 8628 fields in league order, with the SPEC lifetimes, the user code alphabet and no-store', async () => {
    const { app } = await buildTestApp();
    const res = await deviceAuthorize(app, { scope: 'profile organization' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    const body = res.json();
    expect(Object.keys(body)).toEqual(['device_code', 'user_code', 'verification_uri', 'expires_in', 'verification_uri_complete', 'interval']);
    expect(body.device_code).toMatch(/^[0-9a-f]{80}$/);
    expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(body).toMatchObject({ verification_uri: `${ISSUER}/device`, expires_in: 600, interval: 5 });
    expect(body.verification_uri_complete).toBe(`${ISSUER}/device?user_code=${body.user_code}`);
  });

  it('accepts a JSON body on the /oauth2/device_authorization alias', async () => {
    const { app } = await buildTestApp();
    const res = await deviceAuthorize(app, { as: 'json', path: '/oauth2/device_authorization' });
    expect(res.statusCode).toBe(200);
    expect(res.json().user_code).toHaveLength(9);
  });

  it('takes DEVICE_CODE_TTL and DEVICE_POLL_INTERVAL from the configuration', async () => {
    const { app } = await buildTestApp({ config: { deviceCodeTtl: 120, devicePollInterval: 2 } });
    expect(await deviceCodeFor(app)).toMatchObject({ expires_in: 120, interval: 2 });
  });

  it('requires a confidential client to authenticate, in the body or by HTTP Basic', async () => {
    const { app } = await buildTestApp({ seed: SEED });
    const res = await deviceAuthorize(app, { client: { ...KIOSK, clientSecret: undefined } });
    expectError(res, 401, 'invalid_client', 'Client `kiosk-client` is confidential: send its client_secret in the body or as HTTP Basic');
    expect((await deviceAuthorize(app, { client: KIOSK })).statusCode).toBe(200);
    const basic = await app.inject({
      method: 'POST',
      url: '/oauth2/device-code',
      headers: { authorization: basicAuth(KIOSK.clientId, KIOSK.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'scope=profile',
    });
    expect(basic.statusCode).toBe(200);
  });

  it('refuses a missing client_id, an unknown client, a client without the grant and a scope out of reach', async () => {
    const { app } = await buildTestApp();
    const missing = await app.inject({ method: 'POST', url: '/oauth2/device-code', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expectError(missing, 400, 'invalid_request', /^Check the `client_id` parameter: it is missing/);
    const unknown = await deviceAuthorize(app, { client: { clientId: 'nobody', redirectUris: [] } });
    expect(expectError(unknown, 401, 'invalid_client', 'No client is registered with client_id `nobody`').error_description).toBe('Client authentication failed');
    const web = await deviceAuthorize(app, { client: WEB });
    expectError(web, 400, 'unauthorized_client', /^Client `web-client` is not registered for the device grant/);
    const scope = await deviceAuthorize(app, { scope: 'profile billing' });
    expectError(scope, 400, 'invalid_scope', 'The scope `billing` is unknown; client `desktop-client` may request: profile organization');
  });

  it('is advertised in the metadata with the device grant type', async () => {
    const { app } = await buildTestApp();
    const metadata = (await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json();
    expect(metadata.device_authorization_endpoint).toBe(`${ISSUER}/oauth2/device-code`);
    expect(metadata.grant_types_supported).toContain(DEVICE_GRANT);
  });
});

describe(`grant_type=${DEVICE_GRANT}`, () => {
  it('answers authorization_pending while the user has not decided', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app);
    const body = expectError(await devicePoll(app, d.device_code), 400, 'authorization_pending', /poll again in 5 seconds/);
    expect(body.error_description).toMatch(/^The authorization request is still pending/);
  });

  it('answers slow_down when polled sooner than the interval, growing that interval by 5 s each time', async () => {
    const { app, clock } = await buildTestApp();
    const d = await deviceCodeFor(app);
    await devicePoll(app, d.device_code);
    clock.advanceBy(4);
    expectError(await devicePoll(app, d.device_code), 400, 'slow_down', /sooner than the interval of 5 s; the interval for this device_code is now 10 s/);
    clock.advanceBy(9);
    expectError(await devicePoll(app, d.device_code), 400, 'slow_down', /after the previous one, sooner than the interval of 10 s; .* now 15 s/);
    clock.advanceBy(15);
    expectError(await devicePoll(app, d.device_code), 400, 'authorization_pending', /poll again in 15 seconds/);
  });

  it('never slows down a device that waits the interval between polls', async () => {
    const { app, clock } = await buildTestApp();
    const d = await deviceCodeFor(app);
    for (let i = 0; i < 3; i += 1) {
      expect((await devicePoll(app, d.device_code)).json().error).toBe('authorization_pending');
      clock.advanceBy(5);
    }
  });

  it('answers access_denied with status 400 once the user denies', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app);
    await devicePoll(app, d.device_code);
    expect((await decideDeviceByControl(app, 'deny', { user_code: d.user_code, email: BRUNO.email })).statusCode).toBe(200);
    // a decided code is not slowed down: the answer is the decision
    const body = expectError(await devicePoll(app, d.device_code), 400, 'access_denied', /^The user denied this device authorization/);
    expect(body.error_description).toBe('The resource owner or authorization server denied the request.');
  });

  it('answers expired_token once DEVICE_CODE_TTL has passed, and not a second before', async () => {
    const { app, clock } = await buildTestApp();
    const d = await deviceCodeFor(app);
    clock.advanceBy(599);
    expect((await devicePoll(app, d.device_code)).json().error).toBe('authorization_pending');
    clock.advanceBy(1);
    const body = expectError(await devicePoll(app, d.device_code), 400, 'expired_token', /device codes are valid for 600 seconds/);
    expect(body.error_description).toBe('The `device_code` has expired and the device authorization session has concluded.');
  });

  it('answers invalid_grant for an unknown device code, another client\'s code and a missing one names the parameter', async () => {
    const { app } = await buildTestApp({ seed: SEED });
    expectError(await devicePoll(app, 'no-such-device-code'), 400, 'invalid_grant', /^No device authorization matches `device_code`/);
    const d = await deviceCodeFor(app);
    expectError(await devicePoll(app, d.device_code, KIOSK), 400, 'invalid_grant', 'This device_code was issued to another client, not to `kiosk-client`');
    const missing = await postToken(app, { grant_type: DEVICE_GRANT, client_id: DESKTOP.clientId });
    expectError(missing, 400, 'invalid_request', /^Check the `device_code` parameter: it is missing/);
  });

  it('issues the token pair once after approval, then answers invalid_grant', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app, { scope: 'profile' });
    await decideDeviceByControl(app, 'approve', { user_code: d.user_code, email: BRUNO.email });
    const res = await devicePoll(app, d.device_code);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const tokens = res.json();
    expect(Object.keys(tokens)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(tokens.refresh_token).toMatch(/^def50200[0-9a-f]+$/);
    expect(decodeJwt(tokens.access_token).payload).toMatchObject({ sub: BRUNO.uuid, aud: DESKTOP.clientId, scope: 'profile', scopes: ['profile'] });
    expectError(await devicePoll(app, d.device_code), 400, 'invalid_grant', `This device_code was already exchanged for tokens (device codes are single-use); ${START_AGAIN}`);
    const me = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.json().email).toBe(BRUNO.email);
    const refreshed = await postToken(app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: DESKTOP.clientId });
    expect(refreshed.statusCode).toBe(200);
  });

  it('gives the pair to exactly one of two racing polls', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app);
    await decideDeviceByControl(app, 'approve', { user_code: d.user_code, email: BRUNO.email });
    const results = await Promise.all([devicePoll(app, d.device_code), devicePoll(app, d.device_code), devicePoll(app, d.device_code)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400, 400]);
    for (const r of results.filter((x) => x.statusCode === 400)) expect(r.json().error).toBe('invalid_grant');
  });

  it('issues no refresh token to a client that does not list refresh_token', async () => {
    const { app } = await buildTestApp({ seed: SEED });
    const d = await deviceCodeFor(app, { client: KIOSK });
    await decideDeviceByControl(app, 'approve', { user_code: d.user_code, email: BRUNO.email });
    const res = await devicePoll(app, d.device_code, KIOSK);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual(['token_type', 'expires_in', 'access_token']);
    expect(decodeJwt(res.json().access_token).payload.scope).toBe('profile');
  });
});

describe('hostile input on the device endpoints', () => {
  it('answers 4xx JSON, never a 500, and stores nothing', async () => {
    const { app, context } = await buildTestApp();
    const json = (url: string, payload: string) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
    const cases = [
      await json('/oauth2/device-code', '{"client_id": ["desktop-client", "x"]}'),
      await json('/oauth2/device-code', '{"client_id": 42}'),
      await json('/oauth2/device-code', '[1, 2]'),
      await json('/oauth2/device-code', '{"client_id": "desktop-client"'),
      await app.inject({ method: 'POST', url: '/oauth2/device-code', headers: { 'content-type': 'text/plain' }, payload: 'client_id=desktop-client' }),
      await app.inject({ method: 'POST', url: '/oauth2/device-code', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'client_id=desktop-client&scope=a&scope=b' }),
      await json('/oauth2/device-code', JSON.stringify({ client_id: DESKTOP.clientId, scope: 'x'.repeat(70_000) })),
      await json('/_emulator/device/approve', '{"user_code": {"$ne": null}, "email": "x"}'),
      await json('/_emulator/device/approve', '"BCDF-GHJK"'),
    ];
    for (const res of cases) {
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect(Object.keys(res.json())).toEqual(['error', 'error_description', 'hint']);
    }
    const form = 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=desktop-client&device_code=a&device_code=b';
    const poll = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
    expectError(poll, 400, 'invalid_request', 'The `device_code` parameter was sent 2 times; send it once');
    expect(context.db.$client.prepare('select count(*) as n from device_codes').get()).toEqual({ n: 0 });
  });
});
