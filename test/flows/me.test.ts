import { describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ALICE, BRUNO, ORG, WEB } from '../helpers/fixtures.js';
import { codeFor, postToken, tokensFor } from '../helpers/oauth.js';

const USER_FIELDS = [
  'uuid',
  'email',
  'firstName',
  'lastName',
  'gender',
  'isVerified',
  'phone',
  'rpps',
  'am',
  'language',
  'timezone',
  'languageSpokenAutoDetect',
  'languageSpoken',
  'languageDocument',
  'organization',
  'organizationRole',
  'organizations',
];
const INVALID_TOKEN = 'The access token provided is expired, revoked, malformed, or invalid for other reasons.';
const CHALLENGE_INVALID = 'Bearer realm="askara-emulator", error="invalid_token"';

async function setup() {
  return buildTestApp({ config: { interactiveLogin: false } });
}

function me(app: TestApp['app'], token: string | undefined, method: 'GET' | 'POST' = 'GET', extra: { headers?: Record<string, string>; payload?: string } = {}) {
  return app.inject({
    method,
    url: '/me',
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...extra.headers },
    ...(extra.payload === undefined ? {} : { payload: extra.payload }),
  });
}

describe('GET and POST /me', () => {
  it('answers POST exactly as the quickstart curl sends it: Content-Type JSON and no body', async () => {
    const { app } = await setup();
    const { access_token } = await tokensFor(app);
    const res = await me(app, access_token, 'POST', { headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().uuid).toBe(ALICE.uuid);
  });

  it('answers POST with an empty JSON object, and GET', async () => {
    const { app } = await setup();
    const { access_token } = await tokensFor(app);
    const post = await me(app, access_token, 'POST', { headers: { 'content-type': 'application/json' }, payload: '{}' });
    const get = await me(app, access_token);
    expect(post.statusCode).toBe(200);
    expect(get.statusCode).toBe(200);
    expect(post.json()).toEqual(get.json());
  });

  it("returns every field of Askara's User resource, in order, with the seeded values and no secret", async () => {
    const { app } = await setup();
    const res = await me(app, (await tokensFor(app)).access_token);
    const body = res.json();
    expect(Object.keys(body)).toEqual(USER_FIELDS);
    expect(body).toMatchObject({
      uuid: ALICE.uuid,
      email: ALICE.email,
      firstName: 'Alice',
      lastName: 'Martin',
      gender: 'female',
      isVerified: true,
      language: 'fr',
      organizationRole: 'ROLE_ORGANIZATION_ADMIN',
    });
    expect(res.body).not.toMatch(/password|argon2|hash/i);
  });

  it('answers null for every field the seed does not know', async () => {
    const { app } = await setup();
    const body = (await me(app, (await tokensFor(app, { loginHint: BRUNO.email })).access_token)).json();
    expect(body).toEqual({
      uuid: BRUNO.uuid,
      email: BRUNO.email,
      firstName: 'Bruno',
      lastName: 'Petit',
      gender: null,
      isVerified: true,
      phone: null,
      rpps: null,
      am: null,
      language: null,
      timezone: null,
      languageSpokenAutoDetect: null,
      languageSpoken: null,
      languageDocument: null,
      organization: null,
      organizationRole: null,
      organizations: [],
    });
  });

  it('includes the organization, and the organizations array, with the organization scope', async () => {
    const { app } = await setup();
    const body = (await me(app, (await tokensFor(app, { scope: 'profile organization' })).access_token)).json();
    expect(body.organization).toMatchObject({
      uuid: ORG.uuid,
      name: ORG.name,
      streetAddress: ORG.streetAddress,
      city: ORG.city,
      postalCode: ORG.postalCode,
      country: ORG.country,
      timezone: ORG.timezone,
      vatNumber: null,
    });
    expect(body.organizations).toEqual([body.organization]);
    expect(body.organizationRole).toBe('ROLE_ORGANIZATION_ADMIN');
  });

  it('hides organization data without the organization scope', async () => {
    const { app } = await setup();
    const body = (await me(app, (await tokensFor(app, { scope: 'profile' })).access_token)).json();
    expect(body).toMatchObject({ organization: null, organizationRole: null, organizations: [] });
    expect(body.email).toBe(ALICE.email);
  });

  it('answers 401 with a bare Bearer challenge when there is no token (RFC 6750 §3.1)', async () => {
    const { app } = await setup();
    const res = await me(app, undefined);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The request has no access token.',
      hint: 'Send the access token as `Authorization: Bearer <access_token>`; received no Authorization header',
    });
  });

  it('answers 401 with the bare Bearer challenge for another scheme, naming it', async () => {
    const { app } = await setup();
    const res = await app.inject({ method: 'GET', url: '/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator"');
    expect(res.json().hint).toBe('Send the access token as `Authorization: Bearer <access_token>`; received the Basic scheme');
  });

  it('ignores an access_token in the query string: the header is the only place', async () => {
    const { app } = await setup();
    const { access_token } = await tokensFor(app);
    const res = await app.inject({ method: 'GET', url: `/me?access_token=${access_token}` });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator"');
  });

  it.each([
    ['not a JWT', 'not-a-jwt', 'The access token is not a JWT (three base64url parts separated by dots)'],
    ['a header with two tokens', 'a.b.c d.e.f', 'The Authorization header must be `Bearer <access_token>`: one space, then the token'],
    ['a token with characters RFC 6750 does not allow', 'a.b.c!', 'The access token is not a JWT (three base64url parts separated by dots)'],
  ])('answers 401 invalid_token for %s', async (_what, token, hint) => {
    const { app } = await setup();
    const res = await me(app, token);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE_INVALID);
    expect(res.json()).toEqual({ error: 'invalid_token', error_description: INVALID_TOKEN, hint });
  });

  it('answers 401 invalid_token for a token whose signature was tampered with', async () => {
    const { app } = await setup();
    const { access_token } = await tokensFor(app);
    const [h, p] = access_token.split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: BRUNO.uuid })).toString('base64url')}.${access_token.split('.')[2]}`;
    const res = await me(app, forged);
    expect(res.statusCode).toBe(401);
    expect(res.json().hint).toBe("The access token could not be verified with this server's keys (/.well-known/jwks.json)");
  });

  it('answers 401 invalid_token once the token has expired on the emulator clock, and 200 a second before', async () => {
    const { app, clock } = await setup();
    const { access_token } = await tokensFor(app);
    clock.advanceBy(3599);
    expect((await me(app, access_token)).statusCode).toBe(200);
    clock.advanceBy(1);
    const res = await me(app, access_token);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE_INVALID);
    expect(res.json()).toEqual({
      error: 'invalid_token',
      error_description: INVALID_TOKEN,
      hint: 'The access token has expired: use the refresh token to get a new one',
    });
  });

  it('answers 401 invalid_token for a token whose family was revoked (code replay)', async () => {
    const { app } = await setup();
    const code = await codeFor(app);
    const body = { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0], client_id: WEB.clientId, client_secret: WEB.clientSecret };
    const { access_token } = (await postToken(app, body)).json();
    await postToken(app, body);
    const res = await me(app, access_token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'invalid_token', error_description: INVALID_TOKEN, hint: 'The access token has been revoked' });
  });

  it('answers 401 invalid_token for a token the emulator forgot at reset', async () => {
    const { app, context } = await setup();
    const { access_token } = await tokensFor(app);
    context.reset();
    expect((await me(app, access_token)).json().hint).toBe('The access token is unknown to this server (was the emulator reset?)');
  });

  it('answers 403 insufficient_scope, naming the scope, for a token without profile', async () => {
    const { app } = await setup();
    const { access_token } = await tokensFor(app, { scope: 'organization' });
    const res = await me(app, access_token);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator", error="insufficient_scope", scope="profile"');
    expect(res.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      hint: 'This endpoint needs the `profile` scope; the token has: organization',
    });
  });

  it('accepts the scheme name in any case (RFC 6750 §2.1, RFC 7235 §2.1)', async () => {
    const { app } = await setup();
    const { access_token } = await tokensFor(app);
    const res = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `bearer ${access_token}` } });
    expect(res.statusCode).toBe(200);
  });
});
