import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, BRUNO } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, databaseSnapshot, decideConsent, formOf, logIn } from '../helpers/oauth.js';

const ANOTHER_BROWSER = 'This authorization request was started in another browser; go back to the application and sign in again from this browser';

/** The path of the interaction a browser was sent to by /authorize. */
async function startIn(browser: Browser, url = authorizeQuery()): Promise<string> {
  const res = await browser.request('GET', url);
  expect(res.statusCode).toBe(303);
  return String(res.headers.location);
}

describe('an authorization request is bound to the browser that started it', () => {
  it('sets an HttpOnly, SameSite=Lax browser key on /authorize, once per browser', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const first = await browser.request('GET', authorizeQuery());
    const cookie = (first.cookies as Array<{ name: string; httpOnly?: boolean; sameSite?: string; path?: string; value: string }>).find((c) => c.name === 'askara_browser');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.value).toMatch(/^[\w-]{43}$/);
    const second = await browser.request('GET', authorizeQuery({ state: 'other' }));
    expect((second.cookies as Array<{ name: string }>).some((c) => c.name === 'askara_browser')).toBe(false);
  });

  it('refuses the login page and the login form to another browser, and logs nobody in', async () => {
    const { app, context } = await buildTestApp();
    const victim = new Browser(app);
    const path = await startIn(victim);
    const attacker = new Browser(app);
    const page = await attacker.request('GET', path);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(ANOTHER_BROWSER);
    // a CSRF token of the attacker's own, from an interaction of their own
    const own = formOf((await attacker.go('GET', authorizeQuery())).body);
    const before = databaseSnapshot(context);
    const login = await attacker.request('POST', `${path}/login`, { _csrf: own.csrf, email: ALICE.email, password: ALICE.password });
    expect(login.statusCode).toBe(400);
    expect(login.body).toContain(ANOTHER_BROWSER);
    expect(databaseSnapshot(context)).toEqual(before);
  });

  it('refuses the consent page and the consent form to another logged-in browser, and issues no code', async () => {
    const { app, context } = await buildTestApp();
    const victim = new Browser(app);
    const path = await startIn(victim, authorizeQuery({ scope: 'profile' }));
    const other = new Browser(app);
    const own = await logIn(other, authorizeQuery({ scope: 'organization' }), BRUNO);
    const csrf = formOf(own.body).csrf;
    const page = await other.request('GET', path);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(ANOTHER_BROWSER);
    const before = databaseSnapshot(context);
    const consent = await other.request('POST', `${path}/consent`, { _csrf: csrf, decision: 'authorize' });
    expect(consent.statusCode).toBe(400);
    expect(consent.headers.location).toBeUndefined();
    expect(databaseSnapshot(context)).toEqual(before);
  });

  it('lets the browser that started it finish it, with several requests open at once', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const first = await startIn(browser, authorizeQuery({ state: 'one' }));
    const consent = await logIn(browser, authorizeQuery({ state: 'two' }), ALICE);
    expect(new URL(String((await decideConsent(browser, consent, 'authorize')).headers.location)).searchParams.get('state')).toBe('two');
    const done = await browser.request('GET', first);
    expect(done.statusCode).toBe(303);
    expect(new URL(String(done.headers.location)).searchParams.get('state')).toBe('one');
  });
});
