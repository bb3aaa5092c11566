import { describe, expect, it } from 'vitest';
import { buildTestApp, ISSUER } from '../helpers/app.js';
import { ALICE, DESKTOP, SERVICE, WEB } from '../helpers/fixtures.js';
import { basicAuth, decodeJwt, introspect, postTo, postToken, revoke, tokensFor } from '../helpers/oauth.js';

const NI = { config: { interactiveLogin: false } };
const T0 = Date.parse('2026-01-15T09:00:00Z') / 1000;

describe('POST /oauth2/introspect (RFC 7662)', () => {
  it("describes an active access token with its claims", async () => {
    const { app } = await buildTestApp(NI);
    const t = await tokensFor(app, { scope: 'profile organization' });
    const res = await introspect(app, t.access_token, WEB, 'access_token');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      active: true,
      scope: 'profile organization',
      client_id: WEB.clientId,
      sub: ALICE.uuid,
      exp: T0 + 3600,
      iat: T0,
      nbf: T0,
      jti: decodeJwt(t.access_token).payload.jti,
      token_type: 'Bearer',
      iss: ISSUER,
      aud: WEB.clientId,
    });
  });

  it('describes an active refresh token, which keeps the original scope after a narrowing refresh', async () => {
    const { app } = await buildTestApp(NI);
    const t = await tokensFor(app);
    const narrowed = await postToken(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token, scope: 'profile', client_id: WEB.clientId, client_secret: WEB.clientSecret });
    const res = await introspect(app, narrowed.json().refresh_token);
    expect(res.json()).toEqual({
      active: true,
      scope: 'profile organization',
      client_id: WEB.clientId,
      sub: ALICE.uuid,
      exp: T0 + 30 * 86400,
      iat: T0,
      token_type: 'refresh_token',
      iss: ISSUER,
      aud: WEB.clientId,
    });
    expect((await introspect(app, narrowed.json().access_token)).json()).toMatchObject({ active: true, scope: 'profile' });
  });

  it('answers exactly {"active": false} for unknown, foreign and spent tokens', async () => {
    const { app } = await buildTestApp(NI);
    const t = await tokensFor(app);
    for (const token of ['no-such-token', 'eyJhbGciOiJub25lIn0.eyJqdGkiOiJ4In0.c2ln', `def50200${'ab'.repeat(500)}`]) {
      expect((await introspect(app, token)).json()).toEqual({ active: false });
    }
    // another client learns nothing about this client's tokens
    expect((await introspect(app, t.access_token, SERVICE)).json()).toEqual({ active: false });
    expect((await introspect(app, t.refresh_token, SERVICE)).json()).toEqual({ active: false });
    // a rotated-out refresh token is spent
    await postToken(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: WEB.clientId, client_secret: WEB.clientSecret });
    expect((await introspect(app, t.refresh_token)).json()).toEqual({ active: false });
  });

  it('reports tokens inactive once expired on the emulator clock, and before they are valid', async () => {
    const { app, clock } = await buildTestApp(NI);
    const t = await tokensFor(app);
    clock.advanceBy(3599);
    expect((await introspect(app, t.access_token)).json()).toMatchObject({ active: true });
    clock.advanceBy(1);
    expect((await introspect(app, t.access_token)).json()).toEqual({ active: false });
    expect((await introspect(app, t.refresh_token)).json()).toMatchObject({ active: true });
    clock.advanceBy(30 * 86400);
    expect((await introspect(app, t.refresh_token)).json()).toEqual({ active: false });
    clock.advanceBy(-(30 * 86400 + 3600 + 60));
    expect((await introspect(app, t.access_token)).json()).toEqual({ active: false });
  });

  it('reports revoked tokens inactive', async () => {
    const { app } = await buildTestApp(NI);
    const t = await tokensFor(app);
    await revoke(app, t.access_token);
    expect((await introspect(app, t.access_token)).json()).toEqual({ active: false });
    expect((await introspect(app, t.refresh_token)).json()).toMatchObject({ active: true });
  });

  it('takes JSON bodies and HTTP Basic', async () => {
    const { app } = await buildTestApp(NI);
    const t = await tokensFor(app);
    const json = await postTo(app, '/oauth2/introspect', { token: t.access_token, client_id: WEB.clientId, client_secret: WEB.clientSecret }, { as: 'json' });
    expect(json.json()).toMatchObject({ active: true });
    const basic = await postTo(app, '/oauth2/introspect', { token: t.access_token }, { headers: { authorization: basicAuth(WEB.clientId, WEB.clientSecret) } });
    expect(basic.json()).toMatchObject({ active: true });
  });

  it('requires client authentication: none, a public client or a wrong secret get 401 invalid_client', async () => {
    const { app } = await buildTestApp(NI);
    const t = await tokensFor(app);
    const anonymous = await postTo(app, '/oauth2/introspect', { token: t.access_token });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
      hint: 'No client authentication: send client_id (and client_secret for a confidential client) in the body or as HTTP Basic',
    });
    const publicClient = await introspect(app, t.access_token, DESKTOP);
    expect(publicClient.statusCode).toBe(401);
    expect(publicClient.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
      hint: 'Introspection needs client authentication (RFC 7662 §2.1); client `desktop-client` is public and has no secret to authenticate with',
    });
    const wrong = await introspect(app, t.access_token, { ...WEB, clientSecret: 'nope' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().hint).toBe('The client_secret does not match the one registered for `web-client`');
  });

  it('names a missing token parameter', async () => {
    const { app } = await buildTestApp(NI);
    const res = await postTo(app, '/oauth2/introspect', { client_id: WEB.clientId, client_secret: WEB.clientSecret });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description:
        'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
      hint: 'Check the `token` parameter: it is missing; expected the access token or refresh token to introspect',
    });
  });

  it('is listed in the metadata with the revocation endpoint', async () => {
    const { app } = await buildTestApp();
    const m = (await app.inject({ url: '/.well-known/oauth-authorization-server' })).json();
    expect(m).toMatchObject({
      revocation_endpoint: `${ISSUER}/oauth2/revoke`,
      introspection_endpoint: `${ISSUER}/oauth2/introspect`,
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });
});
