import { describe, expect, it } from 'vitest';
import { authenticateBearer } from '../../../src/oauth/bearer.js';
import { OAuthError } from '../../../src/oauth/errors.js';
import { prepareTokens, saveTokens } from '../../../src/oauth/token-issuer.js';
import { fakeClient, fakeSigner, fakeUser, fakeWorld } from '../../helpers/fake-repositories.js';

async function setup(scope = ['profile', 'organization']) {
  const world = fakeWorld();
  world.addClient(fakeClient({ id: 'web' }));
  world.addUser(fakeUser({ uuid: 'u-alice', email: 'alice@example.com' }));
  const prepared = await prepareTokens(
    { clientId: 'web', userUuid: 'u-alice', scope, familyId: 'f1', grantType: 'authorization_code', withRefreshToken: false },
    world.deps,
  );
  saveTokens(prepared, world.deps);
  return { world, jwt: prepared.response.access_token, jti: prepared.accessToken.jti };
}

async function refusal(header: string | undefined, world: Awaited<ReturnType<typeof setup>>['world'], scope = 'profile') {
  try {
    await authenticateBearer(header, scope, world.deps);
  } catch (e) {
    if (e instanceof OAuthError) return { status: e.status, code: e.code, hint: e.hint, challenge: e.headers['WWW-Authenticate'] };
    throw e;
  }
  throw new Error('expected a refusal');
}

const INVALID = 'Bearer realm="askara-emulator", error="invalid_token"';

describe('authenticateBearer (RFC 6750)', () => {
  it('returns the stored token, its user and the verified claims of a valid bearer token', async () => {
    const { world, jwt, jti } = await setup();
    const result = await authenticateBearer(`Bearer ${jwt}`, 'profile', world.deps);
    expect(result.token.jti).toBe(jti);
    expect(result.user?.email).toBe('alice@example.com');
    expect(result.claims.sub).toBe('u-alice');
  });

  it('answers 401 with a challenge without error code when there is no Authorization header (RFC 6750 §3.1)', async () => {
    const { world } = await setup();
    expect(await refusal(undefined, world)).toEqual({
      status: 401,
      code: 'invalid_request',
      hint: 'Send the access token as `Authorization: Bearer <access_token>`; received no Authorization header',
      challenge: 'Bearer realm="askara-emulator"',
    });
  });

  it('answers another scheme as no credentials: the bare challenge, the hint naming the scheme received', async () => {
    const { world } = await setup();
    expect(await refusal('Basic d2ViOnNlY3JldA==', world)).toEqual({
      status: 401,
      code: 'invalid_request',
      hint: 'Send the access token as `Authorization: Bearer <access_token>`; received the Basic scheme',
      challenge: 'Bearer realm="askara-emulator"',
    });
  });

  it('refuses a token that is not a JWT', async () => {
    const { world } = await setup();
    expect(await refusal('Bearer abc', world)).toMatchObject({ status: 401, code: 'invalid_token', challenge: INVALID });
  });

  it('refuses an expired token, on the emulator clock', async () => {
    const { world, jwt } = await setup();
    world.clock.advanceBy(3600);
    expect(await refusal(`Bearer ${jwt}`, world)).toEqual({
      status: 401,
      code: 'invalid_token',
      hint: 'The access token has expired: use the refresh token to get a new one',
      challenge: INVALID,
    });
  });

  it('refuses a token of another issuer', async () => {
    const { world } = await setup();
    const foreign = await fakeSigner.sign({ iss: 'https://elsewhere.example', jti: 'x' }, 'JWT');
    expect((await refusal(`Bearer ${foreign}`, world)).hint).toBe('The access token was not issued by http://127.0.0.1:8080 or is not valid yet');
  });

  it('refuses a well-signed token the store does not know', async () => {
    const { world, jwt } = await setup();
    world.store.accessTokens.clear();
    expect((await refusal(`Bearer ${jwt}`, world)).hint).toBe('The access token is unknown to this server (was the emulator reset?)');
  });

  it('refuses a revoked token at once, although its JWT is still valid', async () => {
    const { world, jwt, jti } = await setup();
    world.deps.repos.tokens.revokeAccessToken(jti, world.clock.now());
    expect((await refusal(`Bearer ${jwt}`, world)).hint).toBe('The access token has been revoked');
  });

  it('answers 403 insufficient_scope with the scope in the challenge', async () => {
    const { world, jwt } = await setup(['organization']);
    expect(await refusal(`Bearer ${jwt}`, world)).toEqual({
      status: 403,
      code: 'insufficient_scope',
      hint: 'This endpoint needs the `profile` scope; the token has: organization',
      challenge: 'Bearer realm="askara-emulator", error="insufficient_scope", scope="profile"',
    });
  });
});
