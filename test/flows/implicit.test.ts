import { describe, expect, it } from 'vitest';
import { buildTestApp, ISSUER } from '../helpers/app.js';
import { ALICE, SERVICE, WEB } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, decodeJwt, formOf, getMe, introspect, locationParts, postToken } from '../helpers/oauth.js';

const CALLBACK = SERVICE.redirectUris[0];
const implicitQuery = (options: Parameters<typeof authorizeQuery>[0] = {}) => authorizeQuery({ client: SERVICE, responseType: 'token', ...options });

describe('response_type=token, the implicit grant (RFC 6749 §4.2)', () => {
  it('redirects with the access token in the fragment, never a refresh token (INTERACTIVE_LOGIN=false)', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const res = await app.inject({ url: implicitQuery({ scope: 'profile', state: 's/1 é', loginHint: ALICE.email }) });
    expect(res.statusCode).toBe(302);
    const { base, query, fragment } = locationParts(res);
    expect(base).toBe(CALLBACK);
    expect([...query.keys()]).toEqual([]);
    expect([...fragment.keys()]).toEqual(['access_token', 'token_type', 'expires_in', 'scope', 'state', 'iss']);
    expect(Object.fromEntries(fragment)).toMatchObject({ token_type: 'Bearer', expires_in: '3600', scope: 'profile', state: 's/1 é', iss: ISSUER });
    const token = fragment.get('access_token') ?? '';
    expect(decodeJwt(token).payload).toMatchObject({ sub: ALICE.uuid, client_id: SERVICE.clientId, scope: 'profile' });
    expect((await getMe(app, token)).statusCode).toBe(200);
    expect((await introspect(app, token, SERVICE)).json()).toMatchObject({ active: true, sub: ALICE.uuid });
  });

  it('walks login and consent, then answers in the fragment', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const login = formOf((await browser.go('GET', implicitQuery({ state: 'st' }))).body);
    const consent = await browser.go('POST', login.action, { _csrf: login.csrf, email: ALICE.email, password: ALICE.password });
    expect(consent.body).toContain(SERVICE.name);
    const form = formOf(consent.body);
    const done = await browser.go('POST', form.action, { _csrf: form.csrf, decision: 'authorize' });
    expect(done.statusCode).toBe(303);
    const { fragment, query } = locationParts(done);
    expect(fragment.get('access_token')).toMatch(/^eyJ/);
    expect(fragment.get('state')).toBe('st');
    expect(fragment.has('refresh_token')).toBe(false);
    expect(query.has('access_token')).toBe(false);
    // the consent is remembered: the next request goes straight back with a new token
    const again = await browser.go('GET', implicitQuery({ state: 'st2' }));
    expect(again.statusCode).toBe(303);
    expect(locationParts(again).fragment.get('state')).toBe('st2');
  });

  it('sends Deny back as access_denied in the fragment', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const login = formOf((await browser.go('GET', implicitQuery({ state: 'st' }))).body);
    const consent = formOf((await browser.go('POST', login.action, { _csrf: login.csrf, email: ALICE.email, password: ALICE.password })).body);
    const denied = await browser.go('POST', consent.action, { _csrf: consent.csrf, decision: 'deny' });
    const { query, fragment } = locationParts(denied);
    expect([...query.keys()]).toEqual([]);
    expect(Object.fromEntries(fragment)).toEqual({
      error: 'access_denied',
      error_description: 'The resource owner or authorization server denied the request.',
      hint: 'The user denied the authorization request on the consent page',
      state: 'st',
      iss: ISSUER,
    });
  });

  it('refuses a client that does not list implicit with unauthorized_client, in the fragment', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const res = await app.inject({ url: authorizeQuery({ client: WEB, responseType: 'token', state: 'st' }) });
    expect(res.statusCode).toBe(302);
    const { base, query, fragment } = locationParts(res);
    expect(base).toBe(WEB.redirectUris[0]);
    expect([...query.keys()]).toEqual([]);
    expect(Object.fromEntries(fragment)).toEqual({
      error: 'unauthorized_client',
      error_description: 'The client is not authorized to use this authorization grant type.',
      hint: 'Client `web-client` is not registered for implicit (response_type=token); its grant types are: authorization_code, refresh_token',
      state: 'st',
      iss: ISSUER,
    });
  });

  it('sends invalid_scope in the fragment', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const res = await app.inject({ url: implicitQuery({ scope: 'admin', state: 'st' }) });
    expect(Object.fromEntries(locationParts(res).fragment)).toEqual({
      error: 'invalid_scope',
      error_description: 'The requested scope is invalid, unknown, or malformed',
      hint: 'The scope `admin` is unknown; client `service-client` may request: profile organization',
      state: 'st',
      iss: ISSUER,
    });
  });

  it('ignores PKCE parameters, which belong to the code flow', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const res = await app.inject({ url: implicitQuery({ extra: { code_challenge: 'abc', code_challenge_method: 'plain' } }) });
    expect(locationParts(res).fragment.get('access_token')).toMatch(/^eyJ/);
  });

  it('is listed, and marked deprecated, in the metadata; the token endpoint does not take it', async () => {
    const { app, context } = await buildTestApp();
    const metadata = (await app.inject({ url: '/.well-known/oauth-authorization-server' })).json();
    expect(metadata.response_types_supported).toEqual(['code', 'token']);
    expect(metadata.response_modes_supported).toEqual(['query', 'fragment']);
    expect(metadata.grant_types_supported).toContain('implicit');
    expect(metadata['x-deprecated'].implicit).toMatch(/deprecated \(RFC 9700 §2\.1\.2\)/);
    const res = await postToken(app, { grant_type: 'implicit', client_id: SERVICE.clientId, client_secret: SERVICE.clientSecret });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'The authorization grant type is not supported by the authorization server.',
      hint: `grant_type \`implicit\` is not supported; use one of: ${context.grants.grantTypes.join(', ')}`,
    });
  });
});
