import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, DESKTOP, SERVICE, TEST_SEED, WEB } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, clientParams, codeFor, databaseSnapshot, decideConsent, deviceCodeFor, formOf, logIn, postToken } from '../helpers/oauth.js';

/** Checks of SECURITY.md that no feature test already makes (RFC 9700, OWASP ASVS V3). */
describe('redirects that carry a code, a token or an error (RFC 9700 §4.3, §4.12)', () => {
  it('answers the consent form with 303 (never 307) and Cache-Control: no-store', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const done = await decideConsent(browser, await logIn(browser, authorizeQuery(), ALICE), 'authorize');
    expect(done.statusCode).toBe(303);
    expect(String(done.headers.location)).toContain('code=');
    expect(done.headers['cache-control']).toBe('no-store');
  });

  it('sends no-store on the redirect of a remembered consent, of an implicit grant, of an error and of INTERACTIVE_LOGIN=false', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    await decideConsent(browser, await logIn(browser, authorizeQuery({ scope: 'profile' }), ALICE), 'authorize');
    const remembered = await browser.go('GET', authorizeQuery({ scope: 'profile' }));
    expect(String(remembered.headers.location)).toContain('code=');
    const implicit = await decideConsent(browser, await browser.go('GET', authorizeQuery({ client: SERVICE, responseType: 'token', scope: 'profile' })), 'authorize');
    expect(String(implicit.headers.location)).toContain('#access_token=');
    const error = await app.inject({ url: authorizeQuery({ scope: 'profile bogus' }) });
    expect(String(error.headers.location)).toContain('error=invalid_scope');
    const nonInteractive = await (await buildTestApp({ config: { interactiveLogin: false } })).app.inject({ url: authorizeQuery({ loginHint: ALICE.email }) });
    expect(String(nonInteractive.headers.location)).toContain('code=');
    for (const res of [remembered, implicit, error, nonInteractive]) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers every form post of the pages with 303', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const login = formOf((await browser.go('GET', authorizeQuery())).body);
    const loggedIn = await browser.request('POST', login.action, { _csrf: login.csrf, email: ALICE.email, password: ALICE.password });
    expect(loggedIn.statusCode).toBe(303);
    const { user_code: userCode } = await deviceCodeFor(app, { client: DESKTOP });
    const device = formOf((await browser.go('GET', '/device')).body);
    expect((await browser.request('POST', '/device', { _csrf: device.csrf, user_code: userCode })).statusCode).toBe(303);
  });
});

describe('the session cookie (ASVS 3.2, 3.4)', () => {
  it('is 256 random bits, base64url, sent HttpOnly on path /, and stored only as its SHA-256', async () => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    const login = formOf((await browser.go('GET', authorizeQuery())).body);
    const res = await browser.request('POST', login.action, { _csrf: login.csrf, email: ALICE.email, password: ALICE.password });
    const cookie = [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('askara_session=')) ?? '';
    const value = /^askara_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    expect(value).toMatch(/^[\w-]{43}$/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    const stored = JSON.stringify(databaseSnapshot(context).sessions);
    expect(stored).not.toContain(value);
    expect(stored).toContain(createHash('sha256').update(value).digest('hex'));
  });

  it('is never set or changed by a failed login', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const login = formOf((await browser.go('GET', authorizeQuery())).body);
    const res = await browser.request('POST', login.action, { _csrf: login.csrf, email: ALICE.email, password: 'wrong' });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain('askara_session');
  });
});

describe('cookies under https (ASVS 3.4.4)', () => {
  it('names every cookie with the __Host- prefix, Secure, on Path=/ and without Domain, and the flow still works', async () => {
    const { app } = await buildTestApp({ config: { issuer: 'https://askara.test' } });
    const browser = new Browser(app);
    const seen: string[] = [];
    const keep = (res: { headers: Record<string, unknown> }) => seen.push(...[res.headers['set-cookie'] ?? []].flat().map(String));
    const start = await browser.request('GET', authorizeQuery());
    keep(start);
    const page = await browser.go('GET', String(start.headers.location));
    keep(page);
    const login = formOf(page.body);
    const loggedIn = await browser.request('POST', login.action, { _csrf: login.csrf, email: ALICE.email, password: ALICE.password });
    keep(loggedIn);
    expect(seen.map((c) => c.split('=')[0]).sort()).toEqual(['__Host-askara_browser', '__Host-askara_csrf', '__Host-askara_session']);
    for (const cookie of seen) {
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; Path=\/(;|$)/);
      expect(cookie).not.toMatch(/; Domain=/i);
    }
    const consent = await browser.go('GET', String(loggedIn.headers.location));
    const done = await decideConsent(browser, consent, 'authorize');
    expect(String(done.headers.location)).toContain('code=');
  });
});

describe('the CSRF refusal page', () => {
  it('is a 403 with no-store that changes nothing', async () => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    const login = formOf((await browser.go('GET', authorizeQuery())).body);
    const before = databaseSnapshot(context);
    const res = await browser.request('POST', login.action, { _csrf: 'forged', email: ALICE.email, password: ALICE.password });
    expect(res.statusCode).toBe(403);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('This form has expired');
    expect(databaseSnapshot(context)).toEqual(before);
  });
});

describe('token responses (RFC 6749 §5.1, RFC 9700 §4.3)', () => {
  it('answers an authorization code exchange with Cache-Control: no-store and Pragma: no-cache', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const code = await codeFor(app);
    const res = await postToken(app, { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0], ...clientParams(WEB) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  });
});

describe('passwords (ASVS 2.1)', () => {
  it('lets password managers fill the login form: autocomplete hints, no paste blocking, no length cap', async () => {
    const { app } = await buildTestApp();
    const page = (await new Browser(app).go('GET', authorizeQuery())).body;
    expect(page).toContain('<input id="email" name="email" type="email" autocomplete="username"');
    expect(page).toContain('<input id="password" name="password" type="password" autocomplete="current-password" required>');
    expect(page).not.toMatch(/onpaste|maxlength|<script(?! src)/i);
  });

  it('checks every character of a long passphrase: none is truncated, and Unicode is kept as typed', async () => {
    const passphrase = `${'correct horse battery staple '.repeat(5)}é✓`;
    const seed = { ...TEST_SEED, users: [{ ...ALICE, password: passphrase }] };
    const { app } = await buildTestApp({ seed });
    const attempt = async (password: string) => {
      const browser = new Browser(app);
      const login = formOf((await browser.go('GET', authorizeQuery())).body);
      return (await browser.request('POST', login.action, { _csrf: login.csrf, email: ALICE.email, password })).statusCode;
    };
    expect(await attempt(passphrase.slice(0, -1))).toBe(200); // the login page again
    expect(await attempt(passphrase.slice(0, 72))).toBe(200);
    expect(await attempt(passphrase)).toBe(303);
  });
});

describe('behind no proxy (RFC 9700 §4.13)', () => {
  it('ignores X-Forwarded-For and X-Forwarded-Host: a remote client cannot pass for loopback, nor move the issuer', async () => {
    const { app, context } = await buildTestApp();
    const before = databaseSnapshot(context);
    const res = await app.inject({
      method: 'POST',
      url: '/_emulator/reset',
      remoteAddress: '10.0.0.5',
      headers: { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1', 'x-forwarded-host': 'evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(databaseSnapshot(context)).toEqual(before);
    const metadata = await app.inject({ url: '/.well-known/oauth-authorization-server', headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
    expect(metadata.json().issuer).toBe('http://127.0.0.1:8080');
    expect(metadata.body).not.toContain('evil.example');
  });
});
