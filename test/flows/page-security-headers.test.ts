import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, WEB } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, formOf } from '../helpers/oauth.js';

/** The directives of a Content-Security-Policy header, by name. */
function csp(res: LightMyRequestResponse): Record<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return Object.fromEntries(header.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
}

/** SPEC §7: strict CSP (this origin only), no framing, no referrer, no sniffing. */
function expectPageHeaders(res: LightMyRequestResponse, formAction: string[] = ["'self'"]): void {
  expect(csp(res)).toEqual({
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': formAction,
  });
  expect(res.headers).toMatchObject({ 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' });
}

const CLIENT_ORIGIN = new URL(WEB.redirectUris[0]).origin;

describe('security headers on every page (SPEC §7)', () => {
  it('sends them on the start page', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expectPageHeaders(res);
  });

  it('sends them on the login and consent pages, whose forms may only lead to the client', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const login = await browser.go('GET', authorizeQuery());
    expect(login.body).toContain('<h1>Log in</h1>');
    expectPageHeaders(login, ["'self'", CLIENT_ORIGIN]);
    const form = formOf(login.body);
    const consent = await browser.go('POST', form.action, { _csrf: form.csrf, email: ALICE.email, password: ALICE.password });
    expect(consent.body).toContain('Authorize');
    expectPageHeaders(consent, ["'self'", CLIENT_ORIGIN]);
    // the answer that carries the code leaks no referrer either
    const consentForm = formOf(consent.body);
    const done = await browser.go('POST', consentForm.action, { _csrf: consentForm.csrf, decision: 'authorize' });
    expect(String(done.headers.location)).toContain('code=');
    expect(done.headers['referrer-policy']).toBe('no-referrer');
  });

  it('sends them on the error pages', async () => {
    const { app } = await buildTestApp();
    const unknownClient = await app.inject({ url: authorizeQuery({ client: { clientId: 'nope', redirectUris: ['http://127.0.0.1:9999/x'] } }) });
    expect(unknownClient.statusCode).toBe(400);
    expect(unknownClient.body).toContain('No client is registered with client_id `nope`');
    expectPageHeaders(unknownClient);
    const staleForm = await app.inject({ method: 'POST', url: '/interaction/abc/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a&password=b' });
    expect(staleForm.statusCode).toBe(403);
    expectPageHeaders(staleForm);
  });

  it('sends no-referrer on the non-interactive redirect that carries a code', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const res = await app.inject({ url: authorizeQuery({ loginHint: ALICE.email }) });
    expect(res.statusCode).toBe(302);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });
});

describe('security headers on JSON answers', () => {
  it('sends the fixed API set, not the page set, on the token endpoint, /me, discovery, the control API, unknown paths and /metrics', async () => {
    const { app } = await buildTestApp();
    const answers = await Promise.all([
      app.inject({ method: 'POST', url: '/oauth2/token', payload: { grant_type: 'client_credentials' } }),
      app.inject({ url: '/me' }),
      app.inject({ url: '/.well-known/oauth-authorization-server' }),
      app.inject({ url: '/_emulator/clock' }),
      app.inject({ url: '/no/such/path' }),
      app.inject({ method: 'DELETE', url: '/oauth2/token' }),
      app.inject({ url: '/%ff' }),
      app.inject({ url: '/metrics' }),
    ]);
    expect(answers.map((res) => res.statusCode)).toEqual([401, 401, 200, 200, 404, 405, 400, 200]);
    for (const [i, res] of answers.entries()) {
      // the last is /metrics, in Prometheus' text format
      expect(res.headers['content-type']).toMatch(i === answers.length - 1 ? /^text\/plain/ : /^application\/json/);
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['x-frame-options']).toBeUndefined();
    }
  });
});
