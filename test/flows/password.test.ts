import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, BRUNO, DESKTOP, SERVICE, TEST_SEED, WEB } from '../helpers/fixtures.js';
import { decodeJwt, getMe, postToken } from '../helpers/oauth.js';

const SERVICE_AUTH = { client_id: SERVICE.clientId, client_secret: SERVICE.clientSecret };
const asAlice = (password: string = ALICE.password) => ({ grant_type: 'password', username: ALICE.email, password, ...SERVICE_AUTH });
const WRONG = {
  error: 'invalid_grant',
  error_description: 'The user credentials were incorrect.',
  hint: 'The username or password is wrong: send the e-mail address and the password the user logs in with',
};
const lockedUntil = (iso: string, minutes: number) => ({
  error: 'invalid_grant',
  error_description: 'The user credentials were incorrect.',
  hint: `This account is locked after 5 failed logins within 15 minutes; it unlocks at ${iso} (in ${minutes} minute${minutes === 1 ? '' : 's'})`,
});

describe('grant_type=password (RFC 6749 §4.3)', () => {
  it("issues a token pair for the user's e-mail and password, usable on /me", async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { ...asAlice(), scope: 'profile' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(body.refresh_token).toMatch(/^def50200[0-9a-f]+$/);
    expect(decodeJwt(body.access_token).payload).toMatchObject({ sub: ALICE.uuid, client_id: SERVICE.clientId, scope: 'profile' });
    const me = await getMe(app, body.access_token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ uuid: ALICE.uuid, email: ALICE.email });
    const refreshed = await postToken(app, { grant_type: 'refresh_token', refresh_token: body.refresh_token, ...SERVICE_AUTH });
    expect(refreshed.statusCode).toBe(200);
  });

  it('matches the e-mail address whatever its case', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { ...asAlice(), username: ALICE.email.toUpperCase() });
    expect(res.statusCode).toBe(200);
  });

  it('issues no refresh token to a client that does not list refresh_token', async () => {
    const { app } = await buildTestApp({
      seed: {
        ...TEST_SEED,
        clients: [{ clientId: 'script', clientSecret: 'script-secret-123', name: 'Script', redirectUris: [], grantTypes: ['password'], scopes: ['profile'] }],
      },
    });
    const res = await postToken(app, { grant_type: 'password', username: BRUNO.email, password: BRUNO.password, client_id: 'script', client_secret: 'script-secret-123' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual(['token_type', 'expires_in', 'access_token']);
  });

  it('answers a wrong password and an unknown e-mail with the same invalid_grant', async () => {
    const { app } = await buildTestApp();
    const wrong = await postToken(app, asAlice('not-her-password'));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual(WRONG);
    expect(wrong.body).not.toContain('not-her-password');
    const unknown = await postToken(app, { ...asAlice(), username: 'nobody@lilas.example' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual(WRONG);
  });

  it('names a missing username or password in invalid_request', async () => {
    const { app } = await buildTestApp();
    const description =
      'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.';
    const noUser = await postToken(app, { grant_type: 'password', password: ALICE.password, ...SERVICE_AUTH });
    expect(noUser.statusCode).toBe(400);
    expect(noUser.json()).toEqual({ error: 'invalid_request', error_description: description, hint: "Check the `username` parameter: it is missing; expected the user's e-mail address" });
    const noPassword = await postToken(app, { grant_type: 'password', username: ALICE.email, ...SERVICE_AUTH });
    expect(noPassword.json()).toEqual({ error: 'invalid_request', error_description: description, hint: "Check the `password` parameter: it is missing; expected the user's password" });
  });

  it('refuses a scope the client is not registered for, without counting a failed login', async () => {
    const { app, context } = await buildTestApp();
    const res = await postToken(app, { ...asAlice('wrong'), scope: 'admin' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'The requested scope is invalid, unknown, or malformed',
      hint: 'The scope `admin` is unknown; client `service-client` may request: profile organization',
    });
    expect(context.repos.loginFailures.since(ALICE.uuid, 0)).toEqual([]);
  });

  it('refuses a client that does not list the grant with unauthorized_client', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { grant_type: 'password', username: ALICE.email, password: ALICE.password, client_id: WEB.clientId, client_secret: WEB.clientSecret });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'The client is not authorized to use this authorization grant type.',
      hint: 'Client `web-client` is not registered for grant_type password; its grant types are: authorization_code, refresh_token',
    });
  });

  it('refuses a public client with unauthorized_client', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { grant_type: 'password', username: ALICE.email, password: ALICE.password, client_id: DESKTOP.clientId });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'The client is not authorized to use this authorization grant type.',
      hint: 'grant_type password needs a confidential client; `desktop-client` is public (it has no secret)',
    });
  });
});

describe('grant_type=password and the login lockout (SPEC §7)', () => {
  it('locks the account at the fifth wrong password within 15 minutes, even against the right one', async () => {
    const { app, clock } = await buildTestApp();
    for (let i = 0; i < 4; i += 1) {
      expect((await postToken(app, asAlice('wrong'))).json()).toEqual(WRONG);
      clock.advanceBy(60);
    }
    // failures at 09:00..09:04: the fifth locks until 09:19
    expect((await postToken(app, asAlice('wrong'))).json()).toEqual(lockedUntil('2026-01-15T09:19:00.000Z', 15));
    const right = await postToken(app, asAlice());
    expect(right.statusCode).toBe(400);
    expect(right.json()).toEqual(lockedUntil('2026-01-15T09:19:00.000Z', 15));
  });

  it('does not extend the lock with attempts made during it, and unlocks 15 minutes after the last counted failure', async () => {
    const { app, clock } = await buildTestApp();
    for (let i = 0; i < 5; i += 1) await postToken(app, asAlice('wrong'));
    clock.advanceBy(14 * 60);
    expect((await postToken(app, asAlice('wrong'))).json()).toEqual(lockedUntil('2026-01-15T09:15:00.000Z', 1));
    clock.advanceBy(60);
    expect((await postToken(app, asAlice())).statusCode).toBe(200);
  });

  it('locks one account only: another user still logs in', async () => {
    const { app } = await buildTestApp();
    for (let i = 0; i < 5; i += 1) await postToken(app, asAlice('wrong'));
    const bruno = await postToken(app, { grant_type: 'password', username: BRUNO.email, password: BRUNO.password, ...SERVICE_AUTH });
    expect(bruno.statusCode).toBe(200);
  });

  it('forgets the failures after a successful login and after a reset', async () => {
    const { app, context } = await buildTestApp();
    for (let i = 0; i < 4; i += 1) await postToken(app, asAlice('wrong'));
    expect((await postToken(app, asAlice())).statusCode).toBe(200);
    for (let i = 0; i < 4; i += 1) await postToken(app, asAlice('wrong'));
    expect((await postToken(app, asAlice())).statusCode).toBe(200);
    for (let i = 0; i < 5; i += 1) await postToken(app, asAlice('wrong'));
    expect((await postToken(app, asAlice())).statusCode).toBe(400);
    context.reset();
    expect((await postToken(app, asAlice())).statusCode).toBe(200);
  });
});
