import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { control } from '../helpers/control.js';
import { ALICE, BRUNO, TEST_SEED, WEB } from '../helpers/fixtures.js';
import { clientParams, decodeJwt, postToken } from '../helpers/oauth.js';

const CODE_ONLY = { clientId: 'code-only', clientSecret: 'code-only-secret-1', name: 'Code only', redirectUris: ['http://127.0.0.1:9999/c'], grantTypes: ['authorization_code'], scopes: ['profile'] };

describe('POST /_emulator/tokens', () => {
  it('mints a pair shaped as the token endpoint\'s, usable on /me and refreshable', async () => {
    const { app } = await buildTestApp();
    const res = await control(app, 'POST', '/tokens', { client_id: WEB.clientId, user: ALICE.email.toUpperCase(), scope: 'profile organization' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const pair = res.json();
    expect(Object.keys(pair)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(pair.refresh_token).toMatch(/^def50200[0-9a-f]{992}$/);
    expect(decodeJwt(pair.access_token).payload).toMatchObject({ sub: ALICE.uuid, aud: WEB.clientId, client_id: WEB.clientId, scope: 'profile organization' });
    const me = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${pair.access_token}` } });
    expect([me.statusCode, me.json().email]).toEqual([200, ALICE.email]);
    const refreshed = await postToken(app, { grant_type: 'refresh_token', refresh_token: pair.refresh_token, ...clientParams(WEB) });
    expect(refreshed.statusCode).toBe(200);
  });

  it('takes the user by uuid and defaults the scope to the client\'s', async () => {
    const { app } = await buildTestApp();
    const pair = (await control(app, 'POST', '/tokens', { client_id: WEB.clientId, user: BRUNO.uuid })).json();
    expect(decodeJwt(pair.access_token).payload).toMatchObject({ sub: BRUNO.uuid, scopes: ['profile', 'organization'] });
  });

  it('gives no refresh token to a client without the refresh_token grant', async () => {
    const { app } = await buildTestApp({ seed: { ...TEST_SEED, clients: [...(TEST_SEED.clients ?? []), CODE_ONLY] } });
    const pair = (await control(app, 'POST', '/tokens', { client_id: CODE_ONLY.clientId, user: ALICE.email })).json();
    expect(Object.keys(pair)).toEqual(['token_type', 'expires_in', 'access_token']);
  });

  it('counts minted tokens in oauth_tokens_issued_total', async () => {
    const { app } = await buildTestApp();
    await control(app, 'POST', '/tokens', { client_id: WEB.clientId, user: ALICE.email });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('oauth_tokens_issued_total{grant_type="minted"} 1');
  });

  it('refuses a missing or unknown client or user with a hint and mints nothing', async () => {
    const { app } = await buildTestApp();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ user: ALICE.email }, 'Check the `client_id` parameter: it is missing; expected the client_id of a registered client'],
      [{ client_id: WEB.clientId }, "Check the `user` parameter: it is missing; expected a seeded user's e-mail or uuid"],
      [{ client_id: 'nope', user: ALICE.email }, 'client_id `nope` names no registered client'],
      [{ client_id: WEB.clientId, user: 'nobody@example.com' }, "user `nobody@example.com` names no seeded user; give a user's e-mail or uuid"],
      [{ client_id: WEB.clientId, user: ALICE.email, scope: 42 }, 'The `scope` parameter must be a string; received a JSON number'],
    ];
    for (const [body, hint] of cases) {
      const res = await control(app, 'POST', '/tokens', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_request', hint });
    }
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).not.toContain('oauth_tokens_issued_total{');
  });

  it('refuses a scope the client may not have with invalid_scope', async () => {
    const { app } = await buildTestApp();
    const res = await control(app, 'POST', '/tokens', { client_id: WEB.clientId, user: ALICE.email, scope: 'admin' });
    expect(res.json()).toMatchObject({ error: 'invalid_scope', hint: 'The scope `admin` is unknown; client `web-client` may request: profile organization' });
  });
});
