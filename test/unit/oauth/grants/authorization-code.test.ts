import { describe, expect, it } from 'vitest';
import type { AuthenticatedClient } from '../../../../src/oauth/client-authentication.js';
import { OAuthError } from '../../../../src/oauth/errors.js';
import { authorizationCodeGrant } from '../../../../src/oauth/grants/authorization-code.js';
import { createGrantRegistry } from '../../../../src/oauth/grants/index.js';
import type { AuthorizationCodeRecord, Client } from '../../../../src/oauth/ports.js';
import { Params } from '../../../../src/oauth/request-parameters.js';
import { refreshTokenKey } from '../../../../src/oauth/refresh-token-format.js';
import { sha256 } from '../../../../src/shared/random.js';
import { FAKE_ISSUER, fakeClaims, fakeClient, fakeUser, fakeWorld } from '../../../helpers/fake-repositories.js';
import { pkcePair } from '../../../helpers/oauth.js';

const REDIRECT = 'http://127.0.0.1:9999/callback';
const INVALID_GRANT =
  'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

function setup(settings: Parameters<typeof fakeWorld>[0] = {}) {
  const world = fakeWorld(settings);
  const web = world.addClient(fakeClient({ id: 'web' }));
  const other = world.addClient(fakeClient({ id: 'other' }));
  const noRefresh = world.addClient(fakeClient({ id: 'no-refresh', grantTypes: ['authorization_code'] }));
  const desktop = world.addClient(fakeClient({ id: 'desktop', isPublic: true }));
  world.addUser(fakeUser({ uuid: 'u-alice', email: 'alice@example.com' }));

  /** Stores a code as /authorize would and returns its value. */
  function issue(overrides: Partial<AuthorizationCodeRecord> = {}): string {
    const value = `code-${world.store.codes.size}`;
    const now = world.clock.now();
    world.store.codes.set(sha256(value), {
      codeHash: sha256(value),
      familyId: `family-${world.store.codes.size}`,
      clientId: 'web',
      userUuid: 'u-alice',
      redirectUri: REDIRECT,
      redirectUriProvided: true,
      scope: ['profile', 'organization'],
      codeChallenge: null,
      codeChallengeMethod: null,
      issuedAt: now,
      expiresAt: now + 60_000,
      consumedAt: null,
      ...overrides,
    });
    return value;
  }

  function exchange(client: Client, body: Record<string, string>) {
    const authenticated: AuthenticatedClient = { client, method: client.isPublic ? 'none' : 'client_secret_post' };
    return authorizationCodeGrant.handle({ client: authenticated, params: Params.from(body) }, world.deps);
  }

  async function refusal(client: Client, body: Record<string, string>) {
    try {
      await exchange(client, body);
    } catch (e) {
      if (e instanceof OAuthError) return { status: e.status, ...e.toJSON() };
      throw e;
    }
    throw new Error('expected a refusal');
  }

  return { world, web, other, noRefresh, desktop, issue, exchange, refusal };
}

describe('grant_type=authorization_code (protocol core)', () => {
  it('exchanges a code for a Bearer access token and a refresh token, in that key order', async () => {
    const f = setup();
    const response = await f.exchange(f.web, { code: f.issue(), redirect_uri: REDIRECT });
    expect(Object.keys(response)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(response.token_type).toBe('Bearer');
    expect(response.expires_in).toBe(3600);
    expect(response.refresh_token).toMatch(/^def50200[0-9a-f]{992}$/);
  });

  it('signs the claims of SPEC §4 for the user of the code', async () => {
    const f = setup();
    const { access_token } = await f.exchange(f.web, { code: f.issue(), redirect_uri: REDIRECT });
    const iat = Math.floor(f.world.clock.now() / 1000);
    expect(fakeClaims(access_token)).toEqual({
      iss: FAKE_ISSUER,
      aud: 'web',
      jti: expect.any(String),
      iat,
      nbf: iat,
      exp: iat + 3600,
      sub: 'u-alice',
      scopes: ['profile', 'organization'],
      scope: 'profile organization',
      client_id: 'web',
    });
  });

  it('stores the tokens in the code family, the refresh token only as a hash, and consumes the code', async () => {
    const f = setup();
    const code = f.issue();
    const { refresh_token } = await f.exchange(f.web, { code, redirect_uri: REDIRECT });
    const stored = f.world.store.codes.get(sha256(code));
    expect(stored?.consumedAt).toBe(f.world.clock.now());
    expect([...f.world.store.accessTokens.values()].map((t) => t.familyId)).toEqual([stored?.familyId]);
    expect(f.world.store.refreshTokens.has(refresh_token ?? '')).toBe(false);
    expect(f.world.store.refreshTokens.get(refreshTokenKey(refresh_token ?? ''))?.familyId).toBe(stored?.familyId);
  });

  it('issues no refresh token to a client not registered for refresh_token', async () => {
    const f = setup();
    const response = await f.exchange(f.noRefresh, { code: f.issue({ clientId: 'no-refresh' }), redirect_uri: REDIRECT });
    expect(Object.keys(response)).toEqual(['token_type', 'expires_in', 'access_token']);
  });

  it('requires the code parameter', async () => {
    const f = setup();
    expect(await f.refusal(f.web, { redirect_uri: REDIRECT })).toEqual({
      status: 400,
      error: 'invalid_request',
      error_description: expect.stringMatching(/^The request is missing a required parameter/),
      hint: 'Check the `code` parameter: it is missing; expected the authorization code your redirect_uri received',
    });
  });

  it('refuses an unknown code', async () => {
    const f = setup();
    expect(await f.refusal(f.web, { code: 'nope', redirect_uri: REDIRECT })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: INVALID_GRANT,
      hint: 'No authorization code matches `code`: check that you send the value of the `code` query parameter unchanged',
    });
  });

  it('refuses an expired code with Askara\'s description "The authorization code has expired"', async () => {
    const f = setup();
    const code = f.issue();
    f.world.clock.advanceBy(60);
    expect(await f.refusal(f.web, { code, redirect_uri: REDIRECT })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: 'The authorization code has expired',
      hint: 'Authorization codes are valid for 60 seconds; start a new authorization',
    });
  });

  it('still exchanges a code one second before it expires', async () => {
    const f = setup();
    const code = f.issue();
    f.world.clock.advanceBy(59);
    await expect(f.exchange(f.web, { code, redirect_uri: REDIRECT })).resolves.toHaveProperty('access_token');
  });

  it('refuses a replayed code and revokes every token issued from its first use (RFC 6749 §4.1.2)', async () => {
    const f = setup();
    const code = f.issue();
    const first = await f.exchange(f.web, { code, redirect_uri: REDIRECT });
    f.world.clock.advanceBy(5);
    expect(await f.refusal(f.web, { code, redirect_uri: REDIRECT })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: 'The authorization code has been revoked',
      hint: 'The authorization code was already used (codes are single-use); the tokens issued from its first use are now revoked',
    });
    const jti = fakeClaims(first.access_token).jti as string;
    expect(f.world.store.accessTokens.get(jti)?.revokedAt).toBe(f.world.clock.now());
    expect(f.world.store.refreshTokens.get(refreshTokenKey(first.refresh_token ?? ''))?.revokedAt).toBe(f.world.clock.now());
  });

  it('refuses a code issued to another client, and leaves it usable by its own client', async () => {
    const f = setup();
    const code = f.issue();
    expect(await f.refusal(f.other, { code, redirect_uri: REDIRECT })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: INVALID_GRANT,
      hint: 'This authorization code was issued to another client, not to `other`',
    });
    await expect(f.exchange(f.web, { code, redirect_uri: REDIRECT })).resolves.toHaveProperty('access_token');
  });

  it('refuses a redirect_uri that differs from the authorization request', async () => {
    const f = setup();
    expect(await f.refusal(f.web, { code: f.issue(), redirect_uri: `${REDIRECT}/other` })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: INVALID_GRANT,
      hint: `redirect_uri \`${REDIRECT}/other\` differs from the one of the authorization request (${REDIRECT})`,
    });
  });

  it('requires redirect_uri when the authorization request carried it (RFC 6749 §4.1.3)', async () => {
    const f = setup();
    expect(await f.refusal(f.web, { code: f.issue() })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: INVALID_GRANT,
      hint: `Check the \`redirect_uri\` parameter: it is missing; send ${REDIRECT}, as in the authorization request`,
    });
  });

  it('does not require redirect_uri when the authorization request left it out', async () => {
    const f = setup();
    await expect(f.exchange(f.web, { code: f.issue({ redirectUriProvided: false }) })).resolves.toHaveProperty('access_token');
  });

  describe('with PKCE (RFC 7636 §4.6)', () => {
    it('exchanges with the matching code_verifier', async () => {
      const f = setup();
      const { verifier, challenge } = pkcePair();
      const code = f.issue({ clientId: 'desktop', codeChallenge: challenge, codeChallengeMethod: 'S256' });
      await expect(f.exchange(f.desktop, { code, redirect_uri: REDIRECT, code_verifier: verifier })).resolves.toHaveProperty('refresh_token');
    });

    it('refuses a missing code_verifier', async () => {
      const f = setup();
      const code = f.issue({ clientId: 'desktop', codeChallenge: pkcePair().challenge, codeChallengeMethod: 'S256' });
      expect(await f.refusal(f.desktop, { code, redirect_uri: REDIRECT })).toMatchObject({
        error: 'invalid_request',
        hint: 'Check the `code_verifier` parameter: it is missing, and the authorization request had a code_challenge',
      });
    });

    it('refuses a wrong code_verifier and leaves the code unconsumed', async () => {
      const f = setup();
      const code = f.issue({ clientId: 'desktop', codeChallenge: pkcePair().challenge, codeChallengeMethod: 'S256' });
      expect(await f.refusal(f.desktop, { code, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier })).toEqual({
        status: 400,
        error: 'invalid_grant',
        error_description: INVALID_GRANT,
        hint: 'code_verifier does not match the code_challenge of the authorization request (BASE64URL(SHA256(code_verifier)) differs)',
      });
      expect(f.world.store.codes.get(sha256(code))?.consumedAt).toBeNull();
      expect(f.world.store.accessTokens.size).toBe(0);
    });

    it('refuses a code_verifier for a code issued without a challenge (downgrade)', async () => {
      const f = setup();
      expect(await f.refusal(f.web, { code: f.issue(), redirect_uri: REDIRECT, code_verifier: pkcePair().verifier })).toMatchObject({
        error: 'invalid_grant',
        hint: 'code_verifier was sent, but the authorization request had no code_challenge',
      });
    });
  });

  it('issues nothing when the code is consumed by a concurrent request while signing', async () => {
    const f = setup();
    const code = f.issue();
    const [a, b] = await Promise.allSettled([
      f.exchange(f.web, { code, redirect_uri: REDIRECT }),
      f.exchange(f.web, { code, redirect_uri: REDIRECT }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    // the loser's replay revoked the winner's tokens, as RFC 6749 §4.1.2 asks
    expect(f.world.store.accessTokens.size).toBe(1);
    expect([...f.world.store.accessTokens.values()][0]?.revokedAt).not.toBeNull();
  });
});

describe('the grant registry', () => {
  it('answers unsupported_grant_type for an unknown grant_type, listing the supported ones', () => {
    const registry = createGrantRegistry();
    try {
      registry.handlerFor('urn:example:nope');
      throw new Error('expected a refusal');
    } catch (e) {
      expect((e as OAuthError).toJSON()).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'The authorization grant type is not supported by the authorization server.',
        hint: `grant_type \`urn:example:nope\` is not supported; use one of: ${registry.grantTypes.join(', ')}`,
      });
    }
  });

  it('refuses a client not registered for the grant with unauthorized_client', async () => {
    const f = setup();
    const registry = createGrantRegistry();
    const handler = registry.handlerFor('refresh_token');
    await expect(
      registry.exchange(handler, { client: { client: f.noRefresh, method: 'client_secret_post' }, params: Params.from({}) }, f.world.deps),
    ).rejects.toMatchObject({
      code: 'unauthorized_client',
      hint: 'Client `no-refresh` is not registered for grant_type refresh_token; its grant types are: authorization_code',
    });
  });
});
