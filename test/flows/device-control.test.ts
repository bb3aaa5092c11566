import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, BRUNO, DESKTOP } from '../helpers/fixtures.js';
import { decideDeviceByControl, decodeJwt, deviceCodeFor, devicePoll } from '../helpers/oauth.js';

describe('POST /_emulator/device/approve and /deny', () => {
  it('approves by e-mail, with the code typed in lower case without the dash, and answers what it decided', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app, { scope: 'profile' });
    const res = await decideDeviceByControl(app, 'approve', { user_code: d.user_code.replace('-', '').toLowerCase(), email: BRUNO.email });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user_code: d.user_code, status: 'approved', client_id: DESKTOP.clientId, user: BRUNO.uuid, scope: 'profile' });
    expect(decodeJwt((await devicePoll(app, d.device_code)).json().access_token).payload.sub).toBe(BRUNO.uuid);
  });

  it('denies by user uuid', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app);
    const res = await decideDeviceByControl(app, 'deny', { user_code: d.user_code, user: ALICE.uuid });
    expect(res.json()).toMatchObject({ status: 'denied', user: ALICE.uuid });
    expect((await devicePoll(app, d.device_code)).json().error).toBe('access_denied');
  });

  it('explains an unknown, malformed, decided or expired code and an unknown or missing user', async () => {
    const { app, clock } = await buildTestApp();
    const d = await deviceCodeFor(app);
    const cases: Array<[Record<string, unknown>, number, string, RegExp]> = [
      [{ email: BRUNO.email }, 400, 'invalid_request', /^Check the `user_code` parameter: it is missing/],
      [{ user_code: 'AEIO-1234', email: BRUNO.email }, 400, 'invalid_request', /^The `user_code` is not a user code; expected 8 letters/],
      [{ user_code: 'BBBB-BBBB', email: BRUNO.email }, 404, 'invalid_request', /^No device authorization has the user_code BBBB-BBBB/],
      [{ user_code: d.user_code }, 400, 'invalid_request', /send "email" .* or "user"/],
      [{ user_code: d.user_code, email: BRUNO.email, user: BRUNO.uuid }, 400, 'invalid_request', /^Send either "email" or "user", not both/],
      [{ user_code: d.user_code, email: 'nobody@example.com' }, 404, 'invalid_request', /^No seeded user has the e-mail `nobody@example.com`/],
      [{ user_code: d.user_code, user: '00000000-0000-4000-8000-000000000000' }, 404, 'invalid_request', /^No seeded user has the uuid or e-mail/],
    ];
    for (const [body, status, error, hint] of cases) {
      const res = await decideDeviceByControl(app, 'approve', body);
      expect({ status: res.statusCode, error: res.json().error, cache: res.headers['cache-control'] }).toEqual({ status, error, cache: 'no-store' });
      expect(res.json().hint).toMatch(hint);
    }
    await decideDeviceByControl(app, 'deny', { user_code: d.user_code, email: BRUNO.email });
    const decided = await decideDeviceByControl(app, 'approve', { user_code: d.user_code, email: BRUNO.email });
    expect(decided.statusCode).toBe(409);
    expect(decided.json().hint).toBe(`The device authorization with user_code ${d.user_code} was already denied; a user code is decided once`);
    const late = await deviceCodeFor(app);
    clock.advanceBy(600);
    const expired = await decideDeviceByControl(app, 'approve', { user_code: late.user_code, email: BRUNO.email });
    expect(expired.statusCode).toBe(400);
    expect(expired.json()).toMatchObject({ error: 'expired_token', hint: expect.stringMatching(/^The user_code .* expired at .*; start a new device authorization$/) });
  });

  it('requires the ADMIN_TOKEN bearer when one is set', async () => {
    const { app } = await buildTestApp({ config: { adminToken: 'admin-secret-1' } });
    const d = await deviceCodeFor(app);
    const body = { user_code: d.user_code, email: BRUNO.email };
    const refused = await decideDeviceByControl(app, 'approve', body);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('invalid_token');
    expect((await devicePoll(app, d.device_code)).json().error).toBe('authorization_pending');
    expect((await decideDeviceByControl(app, 'approve', body, { authorization: 'Bearer admin-secret-1' })).statusCode).toBe(200);
  });

  it('answers only loopback clients when no ADMIN_TOKEN is set', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app);
    const res = await app.inject({
      method: 'POST',
      url: '/_emulator/device/approve',
      remoteAddress: '203.0.113.9',
      payload: { user_code: d.user_code, email: BRUNO.email },
    });
    expect(res.statusCode).toBe(403);
  });

  it('is forgotten by reset, with the device codes', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app);
    await app.inject({ method: 'POST', url: '/_emulator/reset' });
    expect((await devicePoll(app, d.device_code)).json().error).toBe('invalid_grant');
    expect((await decideDeviceByControl(app, 'approve', { user_code: d.user_code, email: BRUNO.email })).statusCode).toBe(404);
  });
});
