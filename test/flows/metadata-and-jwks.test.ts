import { importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildTestApp, ISSUER } from '../helpers/app.js';
import { WEB } from '../helpers/fixtures.js';
import { decodeJwt, tokensFor } from '../helpers/oauth.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('GET /.well-known/oauth-authorization-server (RFC 8414)', () => {
  it('describes this server under its issuer', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const metadata = res.json();
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/oauth2/token`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      response_types_supported: expect.arrayContaining(['code']),
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token']),
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: expect.arrayContaining(['profile', 'organization']),
      authorization_response_iss_parameter_supported: true,
    });
    // RFC 8414 §2: every URL is under the issuer
    for (const [name, value] of Object.entries(metadata)) {
      if (name.endsWith('_endpoint') || name.endsWith('_uri')) expect(String(value).startsWith(`${ISSUER}/`), name).toBe(true);
    }
  });

  it('lists only grant types this server can run: the token endpoint\'s, and implicit for response_type=token', async () => {
    const { app, context } = await buildTestApp();
    const metadata = (await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json();
    expect(metadata.grant_types_supported).toEqual([...context.grants.grantTypes, 'implicit']);
  });

  it('is served at /.well-known/openid-configuration too', async () => {
    const { app } = await buildTestApp();
    const a = await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    const b = await app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
  });

  it('follows ISSUER, with no trailing slash doubled into the endpoints', async () => {
    const { app } = await buildTestApp({ config: { issuer: 'https://askara.test/tenant' } });
    const metadata = (await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json();
    expect(metadata.issuer).toBe('https://askara.test/tenant');
    expect(metadata.token_endpoint).toBe('https://askara.test/tenant/oauth2/token');
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes the RS256 public key with kid, alg and use, and no private member', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    const { keys } = res.json() as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), n: expect.any(String), e: 'AQAB' });
    for (const member of PRIVATE_MEMBERS) expect(keys[0], member).not.toHaveProperty(member);
  });

  it('verifies the access tokens: header kid matches, signature, issuer and audience check out', async () => {
    const { app, clock } = await buildTestApp({ config: { interactiveLogin: false } });
    const { access_token } = await tokensFor(app);
    const { keys } = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: Array<Record<string, string>> };
    const { header } = decodeJwt(access_token);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: keys[0]?.kid });
    const key = await importJWK(keys[0] ?? {}, 'RS256');
    const { payload } = await jwtVerify(access_token, key, { issuer: ISSUER, audience: WEB.clientId, currentDate: new Date(clock.now()) });
    expect(payload).toMatchObject({ client_id: WEB.clientId, scope: 'profile organization', scopes: ['profile', 'organization'] });
  });

  it('writes typ at+jwt when ACCESS_TOKEN_TYP says so (RFC 9068)', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false, accessTokenTyp: 'at+jwt' } });
    expect(decodeJwt((await tokensFor(app)).access_token).header.typ).toBe('at+jwt');
  });
});

describe('GET /healthz', () => {
  it('answers 200 with the version and the database state', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: 'ok' });
  });

  it('answers 503 once the database cannot be read', async () => {
    const { app, context } = await buildTestApp();
    context.db.$client.close();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: 'unavailable' });
  });
});
