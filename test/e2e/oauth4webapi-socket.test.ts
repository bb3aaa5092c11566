import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator.js';
import { testSigningKey } from '../helpers/app.js';
import { ALICE, BRUNO, DESKTOP, TEST_SEED, WEB } from '../helpers/fixtures.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { formOf } from '../helpers/oauth.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

let emulator: Emulator;
let issuer: URL;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  emulator = await createEmulator({
    config: configWith({ port: 0, host: '127.0.0.1', databasePath: ':memory:', rateLimit: null }),
    seed: TEST_SEED,
    firstKey: await testSigningKey(),
  });
  await emulator.listen();
  issuer = new URL(emulator.context.runtime.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
});

afterAll(async () => {
  await emulator?.close();
});

/** Login form and consent page over real HTTP; returns the URL the browser would be sent to. */
async function authorizeThroughPages(url: URL, user: { email: string; password: string }): Promise<URL> {
  const browser = new HttpBrowser(issuer.origin);
  const login = await browser.go('GET', url.href);
  expect(login.status).toBe(200);
  const loginForm = formOf(await login.text());
  const consent = await browser.go('POST', loginForm.action, { _csrf: loginForm.csrf, email: user.email, password: user.password });
  expect(consent.status).toBe(200);
  const consentForm = formOf(await consent.text());
  const done = await browser.go('POST', consentForm.action, { _csrf: consentForm.csrf, decision: 'authorize' });
  expect(done.status).toBe(303);
  return new URL(done.headers.get('location') ?? '');
}

async function codeFlow(client: oauth.Client, auth: oauth.ClientAuth, redirectUri: string, user: { email: string; password: string } = ALICE) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint ?? '');
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: 'profile organization',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const callback = await authorizeThroughPages(url, user);
  expect(callback.href.startsWith(`${redirectUri}?`)).toBe(true);
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure);
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

async function me(accessToken: string) {
  const res = await oauth.protectedResourceRequest(accessToken, 'GET', new URL('/me', issuer), undefined, undefined, insecure);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the real server on a socket, driven by oauth4webapi', () => {
  it('settles the default issuer on the port it bound and passes RFC 8414 discovery', () => {
    expect(issuer.href).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(as.issuer).toBe(emulator.context.runtime.issuer);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('runs login form, consent, code with PKCE (client_secret_basic), refresh and /me', async () => {
    const web: oauth.Client = { client_id: WEB.clientId };
    const tokens = await codeFlow(web, oauth.ClientSecretBasic(WEB.clientSecret), WEB.redirectUris[0]);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toMatch(/^def50200/);

    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(as.jwks_uri ?? '')), {
      issuer: as.issuer,
      audience: WEB.clientId,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload.sub).toBe(ALICE.uuid);

    const profile = await me(tokens.access_token);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ uuid: ALICE.uuid, email: ALICE.email });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      web,
      await oauth.refreshTokenGrantRequest(as, web, oauth.ClientSecretBasic(WEB.clientSecret), tokens.refresh_token ?? '', insecure),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await me(refreshed.access_token)).status).toBe(200);

    // the spent refresh token is refused, as RFC 6749 §6 rotation requires
    const reuse = await oauth.refreshTokenGrantRequest(as, web, oauth.ClientSecretBasic(WEB.clientSecret), tokens.refresh_token ?? '', insecure);
    await expect(oauth.processRefreshTokenResponse(as, web, reuse)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('runs the code flow with client_secret_post', async () => {
    const tokens = await codeFlow({ client_id: WEB.clientId }, oauth.ClientSecretPost(WEB.clientSecret), WEB.redirectUris[0], BRUNO);
    expect((await me(tokens.access_token)).body.uuid).toBe(BRUNO.uuid);
  });

  it('runs the code flow for a public client on a free loopback port (RFC 8252 §7.3)', async () => {
    const desktop: oauth.Client = { client_id: DESKTOP.clientId, token_endpoint_auth_method: 'none' };
    const tokens = await codeFlow(desktop, oauth.None(), 'http://127.0.0.1:49152/desktop/callback');
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      desktop,
      await oauth.refreshTokenGrantRequest(as, desktop, oauth.None(), tokens.refresh_token ?? '', insecure),
    );
    expect((await me(refreshed.access_token)).status).toBe(200);
  });

  it('answers /me with a bad token with a Bearer invalid_token challenge oauth4webapi understands', async () => {
    const error = await oauth
      .protectedResourceRequest('not-a-jwt', 'GET', new URL('/me', issuer), undefined, undefined, insecure)
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect((error as oauth.WWWAuthenticateChallengeError).cause).toEqual([
      { scheme: 'bearer', parameters: { realm: 'askara-emulator', error: 'invalid_token' } },
    ]);
  });
});
