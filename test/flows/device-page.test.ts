import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, DESKTOP } from '../helpers/fixtures.js';
import { Browser, decodeJwt, deviceCodeFor, devicePoll, formOf } from '../helpers/oauth.js';

/** Types `code` on /device and presses Continue; the browser follows to whatever comes next. */
async function enterCode(browser: Browser, code: string) {
  const page = await browser.go('GET', '/device');
  return browser.go('POST', '/device', { _csrf: formOf(page.body).csrf, user_code: code });
}

async function logIn(browser: Browser, loginPage: string) {
  const form = formOf(loginPage);
  return browser.go('POST', form.action, { _csrf: form.csrf, email: ALICE.email, password: ALICE.password });
}

async function decide(browser: Browser, confirmPage: string, decision: 'authorize' | 'deny') {
  const form = formOf(confirmPage);
  const userCode = /name="user_code" value="([^"]+)"/.exec(confirmPage)?.[1] ?? '';
  return browser.go('POST', form.action, { _csrf: form.csrf, user_code: userCode, decision });
}

/** Enters `count` codes that match nothing. */
async function guessWrong(browser: Browser, count: number) {
  for (let i = 0; i < count; i += 1) expect((await enterCode(browser, 'BBBB-BBBB')).statusCode).toBe(400);
}

describe('GET /device, the verification page', () => {
  it('asks for the Code with a CSRF-protected form and prefills ?user_code=', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/device?user_code=WDJB-MJHT' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<label for="user_code">Code</label>');
    expect(res.body).toContain('value="WDJB-MJHT"');
    expect(res.body).toContain('<button type="submit">Continue</button>');
    expect(formOf(res.body).action).toBe('/device');
  });

  it('renders a user_code with markup inert', async () => {
    const { app } = await buildTestApp();
    const payload = '"><script>alert(1)</script>';
    const res = await app.inject({ method: 'GET', url: `/device?user_code=${encodeURIComponent(payload)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('walks code (lower case, with dash), login, confirmation naming the client and scopes, Authorize, and the device gets tokens', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app, { scope: 'profile organization' });
    const browser = new Browser(app);
    const login = await enterCode(browser, d.user_code.toLowerCase());
    expect(login.body).toContain('<label for="password">Password</label>');
    expect(login.body).toContain(DESKTOP.name);
    const confirm = await logIn(browser, login.body);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`Connect ${DESKTOP.name}?`);
    expect(confirm.body).toContain(d.user_code);
    expect(confirm.body).toContain('<code>profile</code> Read your profile');
    expect(confirm.body).toContain('<code>organization</code> Read your organization');
    const done = await decide(browser, confirm.body, 'authorize');
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Device connected');
    expect(done.body).not.toContain('Authorize</button>');
    const tokens = (await devicePoll(app, d.device_code)).json();
    expect(decodeJwt(tokens.access_token).payload).toMatchObject({ sub: ALICE.uuid, scope: 'profile organization' });
  });

  it('shows the confirmation again to a logged-in user (no silent approval) and Deny reaches the device', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const first = await deviceCodeFor(app);
    await decide(browser, (await logIn(browser, (await enterCode(browser, first.user_code)).body)).body, 'authorize');
    const second = await deviceCodeFor(app);
    const confirm = await enterCode(browser, second.user_code.replace('-', ''));
    expect(confirm.body).toContain('Authorize</button>');
    expect(confirm.body).toContain(ALICE.email);
    const done = await decide(browser, confirm.body, 'deny');
    expect(done.body).toContain('Access denied');
    expect((await devicePoll(app, second.device_code)).json().error).toBe('access_denied');
  });

  it('says when a code is wrong, expired or already used, without reaching a confirmation', async () => {
    const { app, clock } = await buildTestApp();
    const browser = new Browser(app);
    const wrong = await enterCode(browser, 'BBBB-BBBB');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code is invalid or unknown.');
    expect(wrong.body).not.toContain('Authorize');
    expect((await enterCode(browser, 'hello')).body).toContain('That code is invalid: a code has 8 letters');
    const used = await deviceCodeFor(app);
    await decide(browser, (await logIn(browser, (await enterCode(browser, used.user_code)).body)).body, 'authorize');
    expect((await enterCode(browser, used.user_code)).body).toContain('That code was already used.');
    const late = await deviceCodeFor(app);
    clock.advanceBy(600);
    expect((await enterCode(browser, late.user_code)).body).toContain('That code has expired.');
  });

  it('keeps the login page on a wrong password', async () => {
    const { app } = await buildTestApp();
    const d = await deviceCodeFor(app);
    const browser = new Browser(app);
    const login = await enterCode(browser, d.user_code);
    const form = formOf(login.body);
    const again = await browser.go('POST', form.action, { _csrf: form.csrf, email: ALICE.email, password: 'wrong' });
    expect(again.body).toContain('Invalid email or password.');
    expect(again.body).toContain('<label for="password">Password</label>');
  });

  it('answers odd query strings with a readable 400 page, never a 500', async () => {
    const { app } = await buildTestApp();
    for (const url of ['/device?user_code=a&user_code=b', '/device/confirm?user_code=a&user_code=b', '/device/confirm', `/device/confirm?user_code=${'B'.repeat(5000)}`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    const browser = new Browser(app);
    const page = await browser.go('GET', '/device');
    const res = await browser.go('POST', '/device/login', { _csrf: formOf(page.body).csrf, email: ALICE.email, password: ALICE.password });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('That code is invalid');
  });

  it('refuses a form without its CSRF token', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'POST', url: '/device', payload: { user_code: 'BBBB-BBBB' } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
  });
});

describe('throttling of wrong codes on /device', () => {
  async function throttled(app: FastifyInstance) {
    const browser = new Browser(app);
    await guessWrong(browser, 5);
    return browser;
  }

  it('answers 429 after 5 wrong codes in 15 minutes, even for a right code, and lets the browser try again later', async () => {
    const { app, clock } = await buildTestApp();
    const d = await deviceCodeFor(app);
    const browser = await throttled(app);
    const blocked = await enterCode(browser, d.user_code);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect(blocked.body).toContain('Too many wrong codes were entered from this browser. Wait 15 minutes, then try again.');
    expect((await browser.go('GET', `/device/confirm?user_code=${d.user_code}`)).statusCode).toBe(429);
    clock.advanceBy(14 * 60 + 59);
    expect((await enterCode(browser, d.user_code)).body).toContain('Wait 1 minute,');
    clock.advanceBy(1);
    const fresh = await deviceCodeFor(app);
    expect((await enterCode(browser, fresh.user_code)).body).toContain('<label for="password">Password</label>');
  });

  it('does not count typos that cannot be codes, and reset clears the count', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    for (let i = 0; i < 6; i += 1) expect((await enterCode(browser, 'AEIOU')).statusCode).toBe(400);
    await guessWrong(browser, 5);
    expect((await enterCode(browser, 'BBBB-BBBB')).statusCode).toBe(429);
    await app.inject({ method: 'POST', url: '/_emulator/reset' });
    expect((await enterCode(browser, 'BBBB-BBBB')).statusCode).toBe(400);
  });

  it('counts guesses through the confirmation URL too, and limits an address that drops its cookies', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    await browser.go('GET', '/device'); // the browser's CSRF cookie is what identifies it
    for (let i = 0; i < 5; i += 1) expect((await browser.go('GET', '/device/confirm?user_code=BBBB-BBBB')).statusCode).toBe(400);
    expect((await browser.go('GET', '/device/confirm?user_code=BBBB-BBBB')).statusCode).toBe(429);
    // a fresh browser from the same address still has room, up to the address limit of 30
    for (let i = 0; i < 25; i += 1) expect((await app.inject({ method: 'GET', url: '/device/confirm?user_code=CCCC-CCCC' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/device/confirm?user_code=CCCC-CCCC' })).statusCode).toBe(429);
  });
});
