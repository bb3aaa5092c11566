import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import { buildTestApp } from '../helpers/app.js';
import { DESKTOP, SERVICE, WEB } from '../helpers/fixtures.js';
import { basicAuth, decodeJwt, getMe, introspect, postTo, postToken, revoke, tokensFor } from '../helpers/oauth.js';

const NI = { config: { interactiveLogin: false } };
const refresh = (app: Parameters<typeof postToken>[0], token: string) =>
  postToken(app, { grant_type: 'refresh_token', refresh_token: token, client_id: WEB.clientId, client_secret: WEB.clientSecret });
const REVOKED_ACCESS = {
  error: 'invalid_token',
  error_description: 'The access token provided is expired, revoked, malformed, or invalid for other reasons.',
  hint: 'The access token has been revoked',
};
const REVOKED_REFRESH = {
  error: 'invalid_grant',
  error_description: 'The refresh token is invalid.',
  hint: 'Token has been revoked',
};

/** Tokens still usable: access tokens not revoked, refresh tokens neither revoked nor spent. */
function usableTokens(context: AppContext): number {
  const sql = context.db.$client;
  const access = sql.prepare('select count(*) as n from access_tokens where revoked_at is null').get() as { n: number };
  const refreshes = sql.prepare('select count(*) as n from refresh_tokens where revoked_at is null and used_at is null').get() as { n: number };
  return access.n + refreshes.n;
}

describe('POST /oauth2/revoke (RFC 7009)', () => {
  it('revokes a refresh token with its whole family, access tokens included', async () => {
    const { app, context } = await buildTestApp(NI);
    const t = await tokensFor(app);
    const res = await revoke(app, t.refresh_token, WEB, 'refresh_token');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await refresh(app, t.refresh_token)).json()).toEqual(REVOKED_REFRESH);
    const me = await getMe(app, t.access_token);
    expect(me.statusCode).toBe(401);
    expect(me.headers['www-authenticate']).toBe('Bearer realm="askara-emulator", error="invalid_token"');
    expect(me.json()).toEqual(REVOKED_ACCESS);
    expect((await introspect(app, t.refresh_token)).json()).toEqual({ active: false });
    expect((await introspect(app, t.access_token)).json()).toEqual({ active: false });
    expect(usableTokens(context)).toBe(0);
  });

  it('finds the token whatever the hint says, and without one', async () => {
    const { app } = await buildTestApp(NI);
    const a = await tokensFor(app);
    expect((await revoke(app, a.refresh_token, WEB, 'access_token')).statusCode).toBe(200);
    expect((await refresh(app, a.refresh_token)).json()).toEqual(REVOKED_REFRESH);
    const b = await tokensFor(app);
    expect((await revoke(app, b.access_token, WEB, 'refresh_token')).statusCode).toBe(200);
    expect((await getMe(app, b.access_token)).json()).toEqual(REVOKED_ACCESS);
    const c = await tokensFor(app);
    expect((await revoke(app, c.refresh_token, WEB, 'no_such_hint')).statusCode).toBe(200);
    expect((await getMe(app, c.access_token)).statusCode).toBe(401);
  });

  it('revokes an access token alone: the refresh token still works', async () => {
    const { app } = await buildTestApp(NI);
    const t = await tokensFor(app);
    expect((await revoke(app, t.access_token, WEB)).statusCode).toBe(200);
    expect((await getMe(app, t.access_token)).json()).toEqual(REVOKED_ACCESS);
    expect((await introspect(app, t.access_token)).json()).toEqual({ active: false });
    const renewed = await refresh(app, t.refresh_token);
    expect(renewed.statusCode).toBe(200);
    expect((await getMe(app, renewed.json().access_token)).statusCode).toBe(200);
  });

  it('revokes an access token that has already expired', async () => {
    const { app, clock, context } = await buildTestApp(NI);
    const t = await tokensFor(app);
    clock.advanceBy(3601);
    expect((await revoke(app, t.access_token, WEB)).statusCode).toBe(200);
    const jti = String(decodeJwt(t.access_token).payload.jti);
    expect(context.repos.tokens.findAccessToken(jti)?.revokedAt).toBe(clock.now());
  });

  it('revoking a rotated-out refresh token revokes the tokens that replaced it', async () => {
    const { app, context } = await buildTestApp(NI);
    const t = await tokensFor(app);
    const next = (await refresh(app, t.refresh_token)).json();
    expect((await revoke(app, t.refresh_token, WEB)).statusCode).toBe(200);
    expect((await getMe(app, next.access_token)).json()).toEqual(REVOKED_ACCESS);
    expect((await refresh(app, next.refresh_token)).json()).toEqual(REVOKED_REFRESH);
    expect(usableTokens(context)).toBe(0);
  });

  it("answers 200 for another client's token, and leaves it alone", async () => {
    const { app } = await buildTestApp(NI);
    const t = await tokensFor(app);
    expect((await revoke(app, t.refresh_token, SERVICE)).statusCode).toBe(200);
    expect((await revoke(app, t.access_token, SERVICE)).statusCode).toBe(200);
    expect((await getMe(app, t.access_token)).statusCode).toBe(200);
    expect((await refresh(app, t.refresh_token)).statusCode).toBe(200);
  });

  it('answers 200 for unknown tokens and for JWTs this server did not sign', async () => {
    const { app } = await buildTestApp(NI);
    expect((await revoke(app, 'no-such-token')).statusCode).toBe(200);
    expect((await revoke(app, 'eyJhbGciOiJub25lIn0.eyJqdGkiOiJ4In0.c2ln')).statusCode).toBe(200);
    expect((await revoke(app, `def50200${'ab'.repeat(600)}`)).statusCode).toBe(200);
  });

  it('lets a public client revoke its own tokens with its client_id, and takes JSON and Basic', async () => {
    const { app } = await buildTestApp(NI);
    const d = await tokensFor(app, { client: DESKTOP });
    expect((await postTo(app, '/oauth2/revoke', { token: d.refresh_token, client_id: DESKTOP.clientId }, { as: 'json' })).statusCode).toBe(200);
    expect((await getMe(app, d.access_token)).statusCode).toBe(401);
    const w = await tokensFor(app);
    const basic = await postTo(app, '/oauth2/revoke', { token: w.access_token }, { headers: { authorization: basicAuth(WEB.clientId, WEB.clientSecret) } });
    expect(basic.statusCode).toBe(200);
    expect((await getMe(app, w.access_token)).statusCode).toBe(401);
  });

  it('refuses a request without token, or without valid client authentication', async () => {
    const { app } = await buildTestApp(NI);
    const missing = await postTo(app, '/oauth2/revoke', { client_id: WEB.clientId, client_secret: WEB.clientSecret });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({
      error: 'invalid_request',
      error_description:
        'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
      hint: 'Check the `token` parameter: it is missing; expected the access token or refresh token to revoke',
    });
    const anonymous = await postTo(app, '/oauth2/revoke', { token: 'x' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
      hint: 'No client authentication: send client_id (and client_secret for a confidential client) in the body or as HTTP Basic',
    });
    const wrong = await postTo(app, '/oauth2/revoke', { token: 'x' }, { headers: { authorization: basicAuth(WEB.clientId, 'nope') } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic /);
    expect(wrong.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
      hint: 'The client_secret does not match the one registered for `web-client`',
    });
  });
});

/** Holds every signature until released, so a test can act while a grant is signing. */
function holdSigning(context: AppContext) {
  const original = context.protocol.signer;
  let release: () => void = () => {};
  let entered: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const signing = new Promise<void>((resolve) => (entered = resolve));
  context.protocol.signer = {
    async sign(claims, typ) {
      entered();
      await gate;
      return original.sign(claims, typ);
    },
    verify: (jwt, options) => original.verify(jwt, options),
  };
  return { signing, release };
}

describe('revocation racing a refresh (SPEC §6.2, §6.6)', () => {
  it('leaves no usable token when the revocation lands while the refresh is signing', async () => {
    const { app, context } = await buildTestApp(NI);
    const t = await tokensFor(app);
    const held = holdSigning(context);
    const refreshing = refresh(app, t.refresh_token);
    await held.signing;
    expect((await revoke(app, t.refresh_token)).statusCode).toBe(200);
    held.release();
    const res = await refreshing;
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(REVOKED_REFRESH);
    expect(usableTokens(context)).toBe(0);
  });

  it('leaves no usable token when the refresh completes first', async () => {
    const { app, context } = await buildTestApp(NI);
    const t = await tokensFor(app);
    const next = (await refresh(app, t.refresh_token)).json();
    await revoke(app, t.refresh_token);
    expect((await getMe(app, next.access_token)).statusCode).toBe(401);
    expect(usableTokens(context)).toBe(0);
  });

  it('leaves no usable token when both are sent at once', async () => {
    const { app, context } = await buildTestApp(NI);
    for (let round = 0; round < 5; round += 1) {
      const t = await tokensFor(app);
      const [refreshed, revoked] = await Promise.all([refresh(app, t.refresh_token), revoke(app, t.refresh_token)]);
      expect(revoked.statusCode).toBe(200);
      expect([200, 400]).toContain(refreshed.statusCode);
      if (refreshed.statusCode === 200) expect((await getMe(app, refreshed.json().access_token)).statusCode).toBe(401);
      expect(usableTokens(context)).toBe(0);
    }
  });
});
