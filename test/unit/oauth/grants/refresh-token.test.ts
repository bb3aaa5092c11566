import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../../src/oauth/errors.js';
import { refreshTokenGrant } from '../../../../src/oauth/grants/refresh-token.js';
import type { Client, ProtocolSettings } from '../../../../src/oauth/ports.js';
import { Params } from '../../../../src/oauth/request-parameters.js';
import { prepareTokens, saveTokens } from '../../../../src/oauth/token-issuer.js';
import { refreshTokenKey } from '../../../../src/oauth/refresh-token-format.js';
import { sha256 } from '../../../../src/shared/random.js';
import { fakeClaims, fakeClient, fakeUser, fakeWorld } from '../../../helpers/fake-repositories.js';

const INVALID = 'The refresh token is invalid.';

async function setup(settings: Partial<ProtocolSettings> = {}, scope = ['profile', 'organization']) {
  const world = fakeWorld(settings);
  const web = world.addClient(fakeClient({ id: 'web' }));
  const other = world.addClient(fakeClient({ id: 'other' }));
  world.addUser(fakeUser({ uuid: 'u-alice', email: 'alice@example.com' }));
  // the pair a code exchange would have issued, in family `family-1`
  const first = await prepareTokens(
    { clientId: 'web', userUuid: 'u-alice', scope, familyId: 'family-1', grantType: 'authorization_code', withRefreshToken: true },
    world.deps,
  );
  saveTokens(first, world.deps);
  const refreshToken = first.response.refresh_token ?? '';

  const refresh = (client: Client, body: Record<string, string>) =>
    refreshTokenGrant.handle({ client: { client, method: 'client_secret_post' }, params: Params.from(body) }, world.deps);

  async function refusal(client: Client, body: Record<string, string>) {
    try {
      await refresh(client, body);
    } catch (e) {
      if (e instanceof OAuthError) return { status: e.status, ...e.toJSON() };
      throw e;
    }
    throw new Error('expected a refusal');
  }

  const stored = (value: string) => world.store.refreshTokens.get(refreshTokenKey(value));
  return { world, web, other, first, refreshToken, refresh, refusal, stored };
}

describe('grant_type=refresh_token (protocol core)', () => {
  it('returns a new pair of the same shape and spends the old refresh token at once', async () => {
    const f = await setup();
    const response = await f.refresh(f.web, { refresh_token: f.refreshToken });
    expect(Object.keys(response)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(response.refresh_token).not.toBe(f.refreshToken);
    expect(f.stored(f.refreshToken)?.usedAt).toBe(f.world.clock.now());
    expect(f.stored(response.refresh_token ?? '')).toMatchObject({ familyId: 'family-1', usedAt: null, revokedAt: null });
  });

  it('refreshes a token stored before keys carried the issue time (under its bare SHA-256), so an upgrade loses none', async () => {
    const f = await setup();
    const legacy = `def50200${'ab'.repeat(496)}`;
    const record = f.stored(f.refreshToken)!;
    f.world.store.refreshTokens.set(sha256(legacy), { ...record, tokenHash: sha256(legacy) });
    const response = await f.refresh(f.web, { refresh_token: legacy });
    expect(response.refresh_token).toMatch(/^def50200[0-9a-f]{992}$/);
    expect(f.world.store.refreshTokens.get(sha256(legacy))?.usedAt).toBe(f.world.clock.now());
    expect(await f.refusal(f.web, { refresh_token: legacy })).toMatchObject({ error: 'invalid_grant' });
  });

  it('lets the new refresh token refresh again (rotation)', async () => {
    const f = await setup();
    const second = await f.refresh(f.web, { refresh_token: f.refreshToken });
    const third = await f.refresh(f.web, { refresh_token: second.refresh_token ?? '' });
    expect(third.refresh_token).toMatch(/^def50200/);
  });

  it('requires the refresh_token parameter', async () => {
    const f = await setup();
    expect(await f.refusal(f.web, {})).toMatchObject({
      status: 400,
      error: 'invalid_request',
      hint: 'Check the `refresh_token` parameter: it is missing; expected the refresh_token of your last token response',
    });
  });

  it('refuses an unknown refresh token', async () => {
    const f = await setup();
    expect(await f.refusal(f.web, { refresh_token: 'def50200abc' })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: INVALID,
      hint: 'No refresh token matches `refresh_token`: send it unchanged, all of its characters',
    });
  });

  describe('a spent refresh token', () => {
    it('is refused and, under REFRESH_REUSE=revoke-family, revokes the whole family', async () => {
      const f = await setup({ refreshReuse: 'revoke-family' });
      const second = await f.refresh(f.web, { refresh_token: f.refreshToken });
      f.world.clock.advanceBy(1);
      expect(await f.refusal(f.web, { refresh_token: f.refreshToken })).toEqual({
        status: 400,
        error: 'invalid_grant',
        error_description: INVALID,
        hint: 'Token has been used already: refresh tokens are single-use, so store the new one after each refresh; every token of this authorization is now revoked (REFRESH_REUSE=revoke-family)',
      });
      const now = f.world.clock.now();
      expect(f.stored(second.refresh_token ?? '')?.revokedAt).toBe(now);
      expect(f.world.store.accessTokens.get(fakeClaims(second.access_token).jti as string)?.revokedAt).toBe(now);
      expect(f.world.store.accessTokens.get(f.first.accessToken.jti)?.revokedAt).toBe(now);
      expect(await f.refusal(f.web, { refresh_token: second.refresh_token ?? '' })).toMatchObject({ error: 'invalid_grant', hint: 'Token has been revoked' });
    });

    it('is refused alone under REFRESH_REUSE=reject, leaving its descendants valid', async () => {
      const f = await setup({ refreshReuse: 'reject' });
      const second = await f.refresh(f.web, { refresh_token: f.refreshToken });
      expect(await f.refusal(f.web, { refresh_token: f.refreshToken })).toEqual({
        status: 400,
        error: 'invalid_grant',
        error_description: INVALID,
        hint: 'Token has been used already: refresh tokens are single-use, so store the new one after each refresh',
      });
      expect(f.stored(second.refresh_token ?? '')?.revokedAt).toBeNull();
      await expect(f.refresh(f.web, { refresh_token: second.refresh_token ?? '' })).resolves.toHaveProperty('refresh_token');
    });
  });

  it('refuses a revoked refresh token', async () => {
    const f = await setup();
    f.world.deps.repos.tokens.revokeFamily('family-1', f.world.clock.now());
    expect(await f.refusal(f.web, { refresh_token: f.refreshToken })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: INVALID,
      hint: 'Token has been revoked',
    });
  });

  it('refuses an expired refresh token (REFRESH_TOKEN_TTL on the emulator clock)', async () => {
    const f = await setup();
    f.world.clock.advanceBy(30 * 86_400);
    expect(await f.refusal(f.web, { refresh_token: f.refreshToken })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: INVALID,
      hint: 'Token has expired: start a new authorization',
    });
    expect(f.stored(f.refreshToken)?.usedAt).toBeNull();
  });

  it('refuses a refresh token of another client and does not spend it', async () => {
    const f = await setup();
    expect(await f.refusal(f.other, { refresh_token: f.refreshToken })).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: INVALID,
      hint: 'This refresh token was issued to another client, not to `other`',
    });
    expect(f.stored(f.refreshToken)?.usedAt).toBeNull();
  });

  it('refuses a refresh token whose user no longer exists', async () => {
    const f = await setup();
    f.world.store.users.clear();
    expect(await f.refusal(f.web, { refresh_token: f.refreshToken })).toMatchObject({
      error: 'invalid_grant',
      hint: 'The user this refresh token was issued for no longer exists',
    });
  });

  it('narrows the access token to a requested subset while the new refresh token keeps the original scope (RFC 6749 §6)', async () => {
    const f = await setup();
    const narrowed = await f.refresh(f.web, { refresh_token: f.refreshToken, scope: 'profile' });
    expect(fakeClaims(narrowed.access_token)).toMatchObject({ scopes: ['profile'], scope: 'profile' });
    expect(f.stored(narrowed.refresh_token ?? '')?.scope).toEqual(['profile', 'organization']);
    const widenedAgain = await f.refresh(f.web, { refresh_token: narrowed.refresh_token ?? '' });
    expect(fakeClaims(widenedAgain.access_token)).toMatchObject({ scopes: ['profile', 'organization'] });
  });

  it('refuses a scope wider than the original with invalid_scope and does not spend the token', async () => {
    const f = await setup({}, ['profile']);
    expect(await f.refusal(f.web, { refresh_token: f.refreshToken, scope: 'profile organization' })).toEqual({
      status: 400,
      error: 'invalid_scope',
      error_description: 'The requested scope is invalid, unknown, or malformed',
      hint: 'The refresh token was granted `profile`; `organization` cannot be added on refresh',
    });
    expect(f.stored(f.refreshToken)?.usedAt).toBeNull();
  });

  it('lets exactly one of two concurrent refreshes of the same token succeed', async () => {
    const f = await setup({ refreshReuse: 'reject' });
    const results = await Promise.allSettled([
      f.refresh(f.web, { refresh_token: f.refreshToken }),
      f.refresh(f.web, { refresh_token: f.refreshToken }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    // the loser stored nothing: the first pair plus one new pair
    expect(f.world.store.refreshTokens.size).toBe(2);
    expect(f.world.store.accessTokens.size).toBe(2);
  });
});
