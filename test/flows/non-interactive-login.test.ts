import { describe, expect, it } from 'vitest';
import type { Seed } from '../../src/seed/seed-schema.js';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, BRUNO, WEB } from '../helpers/fixtures.js';
import { authorizeQuery, databaseSnapshot, decodeJwt, postToken, redirectParams } from '../helpers/oauth.js';

const CALLBACK = WEB.redirectUris[0];
const ISSUER = 'http://127.0.0.1:8080';

async function nonInteractive(seed?: Seed) {
  return buildTestApp({ config: { interactiveLogin: false }, ...(seed ? { seed } : {}) });
}

async function subjectOf(app: Awaited<ReturnType<typeof buildTestApp>>['app'], code: string): Promise<unknown> {
  const res = await postToken(app, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: WEB.clientId, client_secret: WEB.clientSecret });
  return decodeJwt(res.json().access_token).payload.sub;
}

describe('GET /authorize with INTERACTIVE_LOGIN=false', () => {
  it('logs in the persona named by login_hint, records consent and redirects at once with a code and the state', async () => {
    const { app, context } = await nonInteractive();
    const res = await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: BRUNO.email, state: 'ci-1', scope: 'profile' }) });
    expect(res.statusCode).toBe(302);
    expect(String(res.headers.location).startsWith(`${CALLBACK}?`)).toBe(true);
    const params = redirectParams(res);
    expect(params.get('state')).toBe('ci-1');
    expect(params.get('iss')).toBe(ISSUER);
    expect(databaseSnapshot(context).consents).toEqual([{ user_uuid: BRUNO.uuid, client_id: WEB.clientId, scope: 'profile', updated_at: expect.any(Number) }]);
    expect(await subjectOf(app, params.get('code') ?? '')).toBe(BRUNO.uuid);
  });

  it('accepts the e-mail in any case, or the user uuid, as login_hint', async () => {
    const { app } = await nonInteractive();
    const byEmail = await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: BRUNO.email.toUpperCase() }) });
    expect(await subjectOf(app, redirectParams(byEmail).get('code') ?? '')).toBe(BRUNO.uuid);
    const byUuid = await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: BRUNO.uuid }) });
    expect(await subjectOf(app, redirectParams(byUuid).get('code') ?? '')).toBe(BRUNO.uuid);
  });

  it('logs in the first seeded user when there is no login_hint', async () => {
    const { app } = await nonInteractive();
    const res = await app.inject({ method: 'GET', url: authorizeQuery() });
    expect(await subjectOf(app, redirectParams(res).get('code') ?? '')).toBe(ALICE.uuid);
  });

  it('shows no page and sets no session cookie', async () => {
    const { app } = await nonInteractive();
    const res = await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: ALICE.email }) });
    expect(res.body).toBe('');
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain('askara_session');
  });

  it('redirects invalid_request with a hint and the state for an unknown login_hint, and issues nothing', async () => {
    const { app, context } = await nonInteractive();
    const before = databaseSnapshot(context);
    const res = await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: 'ghost@lilas.example', state: 'ci-2' }) });
    expect(res.statusCode).toBe(302);
    expect(Object.fromEntries(redirectParams(res))).toEqual({
      error: 'invalid_request',
      error_description:
        'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
      hint: 'login_hint `ghost@lilas.example` names no seeded user; INTERACTIVE_LOGIN=false logs in the user whose e-mail or uuid is the login_hint',
      state: 'ci-2',
      iss: ISSUER,
    });
    expect(databaseSnapshot(context)).toEqual(before);
  });

  it('redirects invalid_request when no user is seeded at all', async () => {
    const { app } = await nonInteractive({ clients: [{ ...WEB, redirectUris: [...WEB.redirectUris], grantTypes: [...WEB.grantTypes], scopes: [...WEB.scopes] }] });
    const res = await app.inject({ method: 'GET', url: authorizeQuery({ state: 's' }) });
    expect(Object.fromEntries(redirectParams(res))).toMatchObject({
      error: 'invalid_request',
      hint: 'No user is seeded, so INTERACTIVE_LOGIN=false has nobody to log in',
      state: 's',
    });
  });

  it('still validates the request first: a bad scope is redirected as invalid_scope', async () => {
    const { app } = await nonInteractive();
    const res = await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: ALICE.email, scope: 'admin', state: 's' }) });
    expect(Object.fromEntries(redirectParams(res))).toMatchObject({ error: 'invalid_scope', state: 's' });
  });

  it('issues a new code at each request for the same persona', async () => {
    const { app } = await nonInteractive();
    const codes = new Set<string | null>();
    for (let i = 0; i < 3; i += 1) {
      codes.add(redirectParams(await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: ALICE.email }) })).get('code'));
    }
    expect(codes.size).toBe(3);
  });
});
