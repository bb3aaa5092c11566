import { describe, expect, it } from 'vitest';
import { buildTestApp, ISSUER } from '../helpers/app.js';
import { DESKTOP, SERVICE, WEB } from '../helpers/fixtures.js';
import { basicAuth, decodeJwt, getMe, introspect, postToken } from '../helpers/oauth.js';

const GRANT = { grant_type: 'client_credentials' };
const SERVICE_AUTH = { client_id: SERVICE.clientId, client_secret: SERVICE.clientSecret };
const UNAUTHORIZED_CLIENT = 'The client is not authorized to use this authorization grant type.';

describe('grant_type=client_credentials (RFC 6749 §4.4)', () => {
  it('issues an access token whose subject is the client, with no refresh token', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { ...GRANT, ...SERVICE_AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body)).toEqual(['token_type', 'expires_in', 'access_token']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const { payload } = decodeJwt(body.access_token);
    expect(payload).toMatchObject({
      iss: ISSUER,
      sub: SERVICE.clientId,
      aud: SERVICE.clientId,
      client_id: SERVICE.clientId,
      scope: 'profile organization',
      scopes: ['profile', 'organization'],
    });
  });

  it('narrows the scope to the requested one and accepts HTTP Basic', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { ...GRANT, scope: 'profile' }, { as: 'form', headers: { authorization: basicAuth(SERVICE.clientId, SERVICE.clientSecret) } });
    expect(res.statusCode).toBe(200);
    expect(decodeJwt(res.json().access_token).payload.scope).toBe('profile');
  });

  it('records the token, so introspection reports it active for the client', async () => {
    const { app } = await buildTestApp();
    const token = (await postToken(app, { ...GRANT, ...SERVICE_AUTH })).json().access_token;
    const res = await introspect(app, token, SERVICE);
    expect(res.json()).toMatchObject({ active: true, sub: SERVICE.clientId, client_id: SERVICE.clientId, token_type: 'Bearer' });
  });

  it('answers /me with 403 insufficient_scope: the token acts for no user', async () => {
    const { app } = await buildTestApp();
    const token = (await postToken(app, { ...GRANT, ...SERVICE_AUTH })).json().access_token;
    const res = await getMe(app, token);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator", error="insufficient_scope"');
    expect(res.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      hint: "This access token was issued to a client (client_credentials) and acts for no user; /me needs a user's token",
    });
  });

  it('refuses a scope the client is not registered for with invalid_scope', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { ...GRANT, ...SERVICE_AUTH, scope: 'profile admin' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'The requested scope is invalid, unknown, or malformed',
      hint: 'The scope `admin` is unknown; client `service-client` may request: profile organization',
    });
  });

  it('refuses a confidential client that does not list the grant with unauthorized_client', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { ...GRANT, client_id: WEB.clientId, client_secret: WEB.clientSecret });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'unauthorized_client',
      error_description: UNAUTHORIZED_CLIENT,
      hint: 'Client `web-client` is not registered for grant_type client_credentials; its grant types are: authorization_code, refresh_token',
    });
  });

  it('refuses a public client with unauthorized_client (a seed cannot even list the grant for one)', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { ...GRANT, client_id: DESKTOP.clientId });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'unauthorized_client',
      error_description: UNAUTHORIZED_CLIENT,
      hint: 'grant_type client_credentials needs a confidential client; `desktop-client` is public (it has no secret)',
    });
  });

  it('refuses a wrong secret with 401 invalid_client', async () => {
    const { app } = await buildTestApp();
    const res = await postToken(app, { ...GRANT, client_id: SERVICE.clientId, client_secret: 'wrong-secret' });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('wrong-secret');
    expect(res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
      hint: 'The client_secret does not match the one registered for `service-client`',
    });
  });
});
