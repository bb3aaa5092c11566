import { describe, expect, it } from 'vitest';
import { buildTestApp, ISSUER } from '../helpers/app.js';
import { DESKTOP, WEB } from '../helpers/fixtures.js';
import { authorizeQuery, clientParams, codeFor, locationParts, pkcePair, postToken, type ClientFixture } from '../helpers/oauth.js';

const INVALID_REQUEST =
  'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.';
const INVALID_GRANT =
  'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

async function authorizeError(extra: Record<string, string>, client: ClientFixture = DESKTOP) {
  const { app } = await buildTestApp({ config: { interactiveLogin: false } });
  const res = await app.inject({ url: authorizeQuery({ client, state: 'st', extra }) });
  expect(res.statusCode).toBe(302);
  const { base, query } = locationParts(res);
  expect(base).toBe(client.redirectUris[0]);
  return Object.fromEntries(query);
}

const redirected = (hint: string) => ({ error: 'invalid_request', error_description: INVALID_REQUEST, hint, state: 'st', iss: ISSUER });

function exchange(app: Parameters<typeof postToken>[0], code: string, client: ClientFixture, verifier?: string) {
  return postToken(app, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUris[0] ?? '',
    ...clientParams(client),
    ...(verifier ? { code_verifier: verifier } : {}),
  });
}

describe('PKCE on /authorize (RFC 7636 §4.3, SPEC §3)', () => {
  it('requires a code_challenge from a public client', async () => {
    expect(await authorizeError({})).toEqual(
      redirected('Client `desktop-client` is public, so it must use PKCE: send code_challenge and code_challenge_method=S256'),
    );
  });

  it('refuses the plain method with a hint', async () => {
    expect(await authorizeError({ code_challenge: pkcePair().verifier, code_challenge_method: 'plain' })).toEqual(
      redirected('code_challenge_method `plain` is not supported; use S256 (the plain method is refused, RFC 9700 §2.1.1)'),
    );
  });

  it('refuses a challenge without a method, which RFC 7636 reads as plain', async () => {
    expect(await authorizeError({ code_challenge: pkcePair().challenge })).toEqual(
      redirected('Check the `code_challenge_method` parameter: it is missing, so RFC 7636 means "plain", which is not supported; send S256'),
    );
  });

  it('refuses a method without a challenge, and a challenge that is not an S256 digest', async () => {
    expect(await authorizeError({ code_challenge_method: 'S256' })).toEqual(redirected('code_challenge_method was sent without code_challenge'));
    expect(await authorizeError({ code_challenge: 'too-short', code_challenge_method: 'S256' })).toEqual(
      redirected('code_challenge must be BASE64URL(SHA256(code_verifier)) without padding: 43 characters of A-Z a-z 0-9 - _'),
    );
  });

  it('lets a confidential client go without PKCE', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const res = await exchange(app, await codeFor(app), WEB);
    expect(res.statusCode).toBe(200);
  });
});

describe('PKCE at the token endpoint (RFC 7636 §4.5, §4.6)', () => {
  it('exchanges a public client code with the right code_verifier and no secret', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const pkce = pkcePair();
    const res = await exchange(app, await codeFor(app, { client: DESKTOP, challenge: pkce.challenge }), DESKTOP, pkce.verifier);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
  });

  it('refuses a wrong code_verifier with invalid_grant, and a missing one with invalid_request', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const pkce = pkcePair();
    const code = await codeFor(app, { client: DESKTOP, challenge: pkce.challenge });
    const wrong = await exchange(app, code, DESKTOP, pkcePair().verifier);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({
      error: 'invalid_grant',
      error_description: INVALID_GRANT,
      hint: 'code_verifier does not match the code_challenge of the authorization request (BASE64URL(SHA256(code_verifier)) differs)',
    });
    const missing = await exchange(app, code, DESKTOP);
    expect(missing.json()).toEqual({
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'Check the `code_verifier` parameter: it is missing, and the authorization request had a code_challenge',
    });
    const malformed = await exchange(app, code, DESKTOP, 'short');
    expect(malformed.json()).toEqual({
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)',
    });
    // a failed PKCE check does not spend the code: the rightful client can still exchange it
    expect((await exchange(app, code, DESKTOP, pkce.verifier)).statusCode).toBe(200);
  });

  it('makes a confidential client that sent a challenge complete PKCE, besides its secret', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const pkce = pkcePair();
    const code = await codeFor(app, { client: WEB, challenge: pkce.challenge });
    const without = await exchange(app, code, WEB);
    expect(without.statusCode).toBe(400);
    expect(without.json()).toEqual({
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'Check the `code_verifier` parameter: it is missing, and the authorization request had a code_challenge',
    });
    expect((await exchange(app, code, WEB, pkce.verifier)).statusCode).toBe(200);
  });

  it('refuses a code_verifier for a code issued without a challenge (downgrade)', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const res = await exchange(app, await codeFor(app), WEB, pkcePair().verifier);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_grant',
      error_description: INVALID_GRANT,
      hint: 'code_verifier was sent, but the authorization request had no code_challenge',
    });
  });
});
