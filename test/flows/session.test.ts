import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, BRUNO, DESKTOP } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, databaseSnapshot, deviceCodeFor, formOf, logIn } from '../helpers/oauth.js';

/** The "Not you? Log out" form of a consent page: its CSRF token and return_to. */
function logoutFormOf(html: string): { csrf: string; returnTo: string } {
  const form = /<form method="post" action="\/logout"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  const returnTo = /name="return_to" value="([^"]+)"/.exec(form)?.[1];
  if (!csrf || !returnTo) throw new Error(`no logout form in: ${html.slice(0, 300)}`);
  return { csrf, returnTo: returnTo.replace(/&amp;/g, '&') };
}

describe('browser sessions: login, logout', () => {
  it('logs out from the consent page: the session is deleted on the server, the cookie cleared, and the request asks for a login again', async () => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    const consent = await logIn(browser, authorizeQuery(), ALICE);
    expect(consent.body).toContain('<button type="submit" class="secondary">Log out</button>');
    const { csrf, returnTo } = logoutFormOf(consent.body);
    expect(returnTo).toMatch(/^\/interaction\/[\w-]+$/);
    expect(databaseSnapshot(context).sessions).toHaveLength(1);
    const res = await browser.request('POST', '/logout', { _csrf: csrf, return_to: returnTo });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(returnTo);
    expect([res.headers['set-cookie']].flat().some((c) => /^askara_session=;/.test(String(c)))).toBe(true);
    expect(databaseSnapshot(context).sessions).toEqual([]);
    const next = await browser.go('GET', returnTo);
    expect(next.body).toContain('<h1>Log in</h1>');
    // and another account can now finish the same request
    const form = formOf(next.body);
    const asBruno = await browser.go('POST', form.action, { _csrf: form.csrf, email: BRUNO.email, password: BRUNO.password });
    expect(asBruno.body).toContain(`Signed in as <strong>${BRUNO.email}</strong>`);
  });

  it('a session cookie kept after logout no longer logs anyone in', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const login = await browser.go('GET', authorizeQuery());
    const form = formOf(login.body);
    const loggedIn = await browser.request('POST', form.action, { _csrf: form.csrf, email: ALICE.email, password: ALICE.password });
    const stolen = [loggedIn.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('askara_session='))?.split(';')[0]?.split('=')[1] ?? '';
    const consent = await browser.go('GET', String(loggedIn.headers.location));
    await browser.request('POST', '/logout', { _csrf: logoutFormOf(consent.body).csrf, return_to: '/' });
    const replay = new Browser(app);
    const start = await replay.request('GET', authorizeQuery());
    const page = await app.inject({ method: 'GET', url: String(start.headers.location), cookies: { ...Object.fromEntries([start.cookies].flat().map((c) => [c.name, c.value])), askara_session: stolen } });
    expect(page.body).toContain('<h1>Log in</h1>');
  });

  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', '/interaction/x/../../evil', 'javascript:alert(1)'])(
    'sends a logout with return_to %s to the start page, never elsewhere',
    async (returnTo) => {
      const { app } = await buildTestApp();
      const browser = new Browser(app);
      const consent = await logIn(browser, authorizeQuery(), ALICE);
      const res = await browser.request('POST', '/logout', { _csrf: logoutFormOf(consent.body).csrf, return_to: returnTo });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/');
    },
  );

  it('refuses a logout without a valid CSRF token (403) and keeps the session', async () => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    await logIn(browser, authorizeQuery(), ALICE);
    const res = await browser.request('POST', '/logout', { _csrf: 'forged', return_to: '/' });
    expect(res.statusCode).toBe(403);
    expect(databaseSnapshot(context).sessions).toHaveLength(1);
  });

  it('offers "Log out" on the device confirmation page, returning to it', async () => {
    const { app } = await buildTestApp();
    const { user_code: userCode } = await deviceCodeFor(app, { client: DESKTOP });
    const browser = new Browser(app);
    const entry = await browser.go('GET', `/device?user_code=${userCode}`);
    const code = formOf(entry.body);
    const loginPage = await browser.go('POST', code.action, { _csrf: code.csrf, user_code: userCode });
    const login = formOf(loginPage.body);
    const confirm = await browser.go('POST', login.action, { _csrf: login.csrf, email: ALICE.email, password: ALICE.password });
    const { csrf, returnTo } = logoutFormOf(confirm.body);
    expect(returnTo).toMatch(/^\/device\/confirm\?user_code=[A-Z]{4}-[A-Z]{4}$/);
    const res = await browser.request('POST', '/logout', { _csrf: csrf, return_to: returnTo });
    expect(res.headers.location).toBe(returnTo);
    expect((await browser.go('GET', returnTo)).body).toContain('<h1>Log in</h1>');
  });

  it('ends the previous session of the browser when it logs in again (a new session id each time)', async () => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    // two login pages open at once (two tabs), submitted one after the other
    const first = formOf((await browser.go('GET', authorizeQuery({ state: 'one' }))).body);
    const second = formOf((await browser.go('GET', authorizeQuery({ state: 'two' }))).body);
    await browser.request('POST', first.action, { _csrf: first.csrf, email: ALICE.email, password: ALICE.password });
    const before = databaseSnapshot(context).sessions;
    expect(before).toHaveLength(1);
    await browser.request('POST', second.action, { _csrf: second.csrf, email: BRUNO.email, password: BRUNO.password });
    const after = databaseSnapshot(context).sessions as Array<{ user_uuid: string }>;
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(after[0]?.user_uuid).toBe(BRUNO.uuid);
  });
});
