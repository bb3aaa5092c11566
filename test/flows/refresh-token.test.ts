import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, SERVICE, WEB } from '../helpers/fixtures.js';
import { databaseSnapshot, decodeJwt, postToken, tokensFor } from '../helpers/oauth.js';

const INVALID = 'The refresh token is invalid.';

async function setup(config: Partial<Config> = {}) {
  const test = await buildTestApp({ config: { interactiveLogin: false, ...config } });
  const tokens = await tokensFor(test.app);
  return { ...test, tokens };
}

function refresh(app: TestApp['app'], refreshToken: string, extra: Record<string, string> = {}, as: 'json' | 'form' = 'json') {
  return postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: WEB.clientId, client_secret: WEB.clientSecret, ...extra }, { as });
}

function me(app: TestApp['app'], accessToken: string) {
  return app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${accessToken}` } });
}

describe('grant_type=refresh_token', () => {
  it('returns a new pair of the same shape for the quickstart JSON body, with no-store', async () => {
    const { app, tokens } = await setup();
    const res = await refresh(app, tokens.refresh_token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(body.refresh_token).not.toBe(tokens.refresh_token);
    expect(body.refresh_token).toMatch(/^def50200[0-9a-f]+$/);
    expect((await me(app, body.access_token)).statusCode).toBe(200);
  });

  it('accepts a form body too', async () => {
    const { app, tokens } = await setup();
    expect((await refresh(app, tokens.refresh_token, {}, 'form')).statusCode).toBe(200);
  });

  it('spends the old refresh token at once', async () => {
    const { app, tokens } = await setup();
    await refresh(app, tokens.refresh_token);
    const again = await refresh(app, tokens.refresh_token);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ error: 'invalid_grant', error_description: INVALID });
  });

  it('revokes the whole family, access tokens included, when a spent token is presented (REFRESH_REUSE=revoke-family)', async () => {
    const { app, tokens } = await setup();
    const second = (await refresh(app, tokens.refresh_token)).json();
    const reuse = await refresh(app, tokens.refresh_token);
    expect(reuse.json()).toEqual({
      error: 'invalid_grant',
      error_description: INVALID,
      hint: 'Token has been used already: refresh tokens are single-use, so store the new one after each refresh; every token of this authorization is now revoked (REFRESH_REUSE=revoke-family)',
    });
    expect((await me(app, second.access_token)).statusCode).toBe(401);
    expect((await me(app, tokens.access_token)).statusCode).toBe(401);
    expect((await refresh(app, second.refresh_token)).json()).toEqual({ error: 'invalid_grant', error_description: INVALID, hint: 'Token has been revoked' });
  });

  it('fails only the reusing request under REFRESH_REUSE=reject', async () => {
    const { app, tokens } = await setup({ refreshReuse: 'reject' });
    const second = (await refresh(app, tokens.refresh_token)).json();
    expect((await refresh(app, tokens.refresh_token)).json()).toEqual({
      error: 'invalid_grant',
      error_description: INVALID,
      hint: 'Token has been used already: refresh tokens are single-use, so store the new one after each refresh',
    });
    expect((await me(app, second.access_token)).statusCode).toBe(200);
    expect((await refresh(app, second.refresh_token)).statusCode).toBe(200);
  });

  it('refuses an expired refresh token, on the emulator clock', async () => {
    const { app, clock, tokens } = await setup({ refreshTokenTtl: 600 });
    clock.advanceBy(599);
    const fresh = (await refresh(app, tokens.refresh_token)).json();
    clock.advanceBy(600);
    expect((await refresh(app, fresh.refresh_token)).json()).toEqual({
      error: 'invalid_grant',
      error_description: INVALID,
      hint: 'Token has expired: start a new authorization',
    });
  });

  it('narrows the access token to a requested subset while the new refresh token keeps the original scope', async () => {
    const { app, tokens } = await setup();
    const narrowed = (await refresh(app, tokens.refresh_token, { scope: 'profile' })).json();
    expect(decodeJwt(narrowed.access_token).payload).toMatchObject({ scopes: ['profile'], scope: 'profile' });
    const restored = (await refresh(app, narrowed.refresh_token)).json();
    expect(decodeJwt(restored.access_token).payload).toMatchObject({ scopes: ['profile', 'organization'], scope: 'profile organization' });
  });

  it('refuses a scope wider than the original with invalid_scope, and does not spend the token', async () => {
    const { app, context } = await setup();
    const narrow = await tokensFor(app, { scope: 'profile' });
    const before = databaseSnapshot(context);
    const res = await refresh(app, narrow.refresh_token, { scope: 'profile organization' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'The requested scope is invalid, unknown, or malformed',
      hint: 'The refresh token was granted `profile`; `organization` cannot be added on refresh',
    });
    expect(databaseSnapshot(context)).toEqual(before);
    expect((await refresh(app, narrow.refresh_token)).statusCode).toBe(200);
  });

  it('refuses a refresh token presented by another client, and leaves it usable by its own', async () => {
    const { app, tokens } = await setup();
    const res = await postToken(app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: SERVICE.clientId, client_secret: SERVICE.clientSecret });
    expect(res.json()).toEqual({
      error: 'invalid_grant',
      error_description: INVALID,
      hint: `This refresh token was issued to another client, not to \`${SERVICE.clientId}\``,
    });
    expect((await refresh(app, tokens.refresh_token)).statusCode).toBe(200);
  });

  it('refuses an unknown refresh token', async () => {
    const { app } = await setup();
    expect((await refresh(app, `def50200${'0'.repeat(992)}`)).json()).toEqual({
      error: 'invalid_grant',
      error_description: INVALID,
      hint: 'No refresh token matches `refresh_token`: send it unchanged, all of its characters',
    });
  });

  it('lets a public client refresh with its client_id alone', async () => {
    const { app } = await setup();
    const desktop = await tokensFor(app, { client: DESKTOP });
    const res = await postToken(app, { grant_type: 'refresh_token', refresh_token: desktop.refresh_token, client_id: DESKTOP.clientId });
    expect(res.statusCode).toBe(200);
  });

  it('lets exactly one of two concurrent refreshes of the same token succeed', async () => {
    const { app, tokens } = await setup({ refreshReuse: 'reject' });
    const results = await Promise.all([refresh(app, tokens.refresh_token), refresh(app, tokens.refresh_token)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
  });

  it('moves iat and exp with the emulator clock', async () => {
    const { app, clock, tokens } = await setup();
    const before = decodeJwt(tokens.access_token).payload;
    clock.advanceBy(86_400);
    const after = decodeJwt((await refresh(app, tokens.refresh_token)).json().access_token).payload;
    expect(after.iat).toBe((before.iat as number) + 86_400);
    expect((after.exp as number) - (after.iat as number)).toBe(3600);
  });
});
