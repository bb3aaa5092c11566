import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/observability/journal.js';
import { buildTestApp } from '../helpers/app.js';
import { addFault, control } from '../helpers/control.js';
import { ALICE, WEB } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, basicAuth, formOf, postToken, redirectParams } from '../helpers/oauth.js';

async function journal(app: Parameters<typeof control>[0], query = ''): Promise<JournalEntry[]> {
  const res = await control(app, 'GET', `/requests${query}`);
  expect(res.statusCode).toBe(200);
  return res.json<{ requests: JournalEntry[] }>().requests;
}

describe('GET /_emulator/requests', () => {
  it('records a login, an exchange, a refused request and a faulted one, newest first, with no secret in it', async () => {
    const { app } = await buildTestApp();
    await control(app, 'POST', '/clock', { advance: 60 });
    const browser = new Browser(app);
    const login = await browser.go('GET', authorizeQuery({ state: 'st' }));
    const loginForm = formOf(login.body);
    const consent = await browser.go('POST', loginForm.action, { _csrf: loginForm.csrf, email: ALICE.email, password: ALICE.password });
    const consentForm = formOf(consent.body);
    const code = redirectParams(await browser.go('POST', consentForm.action, { _csrf: consentForm.csrf, decision: 'authorize' })).get('code') ?? '';
    const tokens = await postToken(
      app,
      { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0] },
      { as: 'form', headers: { authorization: basicAuth(WEB.clientId, WEB.clientSecret) } },
    );
    const { access_token, refresh_token } = tokens.json();
    await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${access_token}` } });
    await postToken(app, { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0], client_id: WEB.clientId, client_secret: WEB.clientSecret });
    const faultId = await addFault(app, { path: '/healthz', status: 503 });
    await app.inject({ method: 'GET', url: '/healthz' });

    const entries = await journal(app);
    const raw = JSON.stringify(entries);
    for (const secret of [ALICE.password, WEB.clientSecret, code, access_token, refresh_token, access_token.split('.')[2]]) expect(raw).not.toContain(secret);

    expect(entries.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /healthz 503',
      'POST /_emulator/faults 201',
      'POST /oauth2/token 400',
      'GET /me 200',
      'POST /oauth2/token 200',
      expect.stringMatching(/^POST \/interaction\/[\w-]+\/consent 303$/),
      expect.stringMatching(/^GET \/interaction\/[\w-]+ 200$/),
      expect.stringMatching(/^POST \/interaction\/[\w-]+\/login 303$/),
      expect.stringMatching(/^GET \/interaction\/[\w-]+ 200$/),
      'GET /authorize 303',
      'POST /_emulator/clock 200',
    ]);
    const [faulted, , replay, me, exchange] = entries;
    expect(faulted).toMatchObject({ error: null, hint: `Answered by fault ${faultId} (POST /_emulator/faults)` });
    expect(replay).toMatchObject({
      clientId: WEB.clientId,
      grantType: 'authorization_code',
      error: 'invalid_grant',
      hint: 'The authorization code was already used (codes are single-use); the tokens issued from its first use are now revoked',
    });
    expect(me).toMatchObject({ clientId: WEB.clientId, grantType: null, error: null, hint: null });
    expect(exchange).toMatchObject({ clientId: WEB.clientId, grantType: 'authorization_code', error: null });
    expect(exchange?.id).toMatch(/^req-/);
    expect(exchange?.at).toBe('2026-01-15T09:01:00.000Z');
    expect(exchange?.durationMs).toBeGreaterThanOrEqual(0);
    const authorize = entries.find((e) => e.path === '/authorize');
    expect(authorize).toMatchObject({ clientId: WEB.clientId, status: 303 });
  });

  it('records the error and hint of an /authorize redirect and of an unknown route', async () => {
    const { app } = await buildTestApp();
    await app.inject({ method: 'GET', url: authorizeQuery({ scope: 'admin' }) });
    await app.inject({ method: 'GET', url: '/nowhere?access_token=abc' });
    const [unknown, authorize] = await journal(app);
    expect(unknown).toMatchObject({ path: '/nowhere', status: 404, error: 'invalid_request', hint: 'There is no endpoint at GET /nowhere; see /.well-known/oauth-authorization-server' });
    expect(authorize).toMatchObject({ path: '/authorize', status: 302, clientId: WEB.clientId, error: 'invalid_scope' });
  });

  it('returns `limit` entries (default 50), leaves out reads of itself, and refuses a bad limit', async () => {
    const { app } = await buildTestApp();
    for (let i = 0; i < 60; i += 1) await app.inject({ method: 'GET', url: '/healthz' });
    expect(await journal(app)).toHaveLength(50);
    expect(await journal(app, '?limit=1000')).toHaveLength(60);
    expect((await journal(app, '?limit=2')).map((e) => e.path)).toEqual(['/healthz', '/healthz']);
    for (const bad of ['0', '1001', 'ten', '5&limit=6']) {
      const res = await control(app, 'GET', `/requests?limit=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().hint).toMatch(/^`limit` must be a whole number from 1 to 1000 \(default 50\); received /);
    }
  });

  it('starts empty again after a reset, apart from the reset itself', async () => {
    const { app } = await buildTestApp();
    await app.inject({ method: 'GET', url: '/healthz' });
    await control(app, 'POST', '/reset');
    expect((await journal(app)).map((e) => e.path)).toEqual(['/_emulator/reset']);
  });
});
