import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, BRUNO, DESKTOP, SERVICE, WEB } from '../helpers/fixtures.js';
import {
  Browser,
  authorizeQuery,
  databaseSnapshot,
  decideConsent,
  formOf,
  logIn,
  pkcePair,
  postToken,
  redirectParams,
} from '../helpers/oauth.js';

const CALLBACK = WEB.redirectUris[0];
const INVALID_REQUEST =
  'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.';

function exchange(app: Awaited<ReturnType<typeof buildTestApp>>['app'], code: string) {
  return postToken(app, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: WEB.clientId, client_secret: WEB.clientSecret });
}

/** The text of the readable error page's message. */
function pageMessage(html: string): string | undefined {
  return /<p class="alert" role="alert">([^<]*)<\/p>/.exec(html)?.[1]?.replace(/&#96;/g, '`').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('GET /authorize with the login and consent pages', () => {
  it('walks login, consent and the redirect with a code that exchanges for tokens', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const consent = await logIn(browser, authorizeQuery({ state: 's-1' }), ALICE);
    expect(consent.statusCode).toBe(200);
    expect(consent.body).toContain(WEB.name);
    const done = await decideConsent(browser, consent, 'authorize');
    expect(done.statusCode).toBe(303);
    expect(String(done.headers.location).startsWith(`${CALLBACK}?`)).toBe(true);
    const params = redirectParams(done);
    expect(params.get('state')).toBe('s-1');
    expect(params.get('iss')).toBe('http://127.0.0.1:8080');
    const token = await exchange(app, params.get('code') ?? '');
    expect(token.statusCode).toBe(200);
    expect(Object.keys(token.json())).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
  });

  it('shows a login page with labelled Email and Password fields, a Log in button and a CSRF token', async () => {
    const { app } = await buildTestApp();
    const page = await new Browser(app).go('GET', authorizeQuery());
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<label for="email">Email</label>');
    expect(page.body).toContain('<label for="password">Password</label>');
    expect(page.body).toContain('<button type="submit">Log in</button>');
    expect(page.body).toContain(`to continue to <strong>${WEB.name}</strong>`);
    expect(formOf(page.body).csrf.length).toBeGreaterThan(20);
  });

  it('prefills the e-mail from login_hint, escaped', async () => {
    const { app } = await buildTestApp();
    const page = await new Browser(app).go('GET', authorizeQuery({ loginHint: '"><script>alert(1)</script>' }));
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('says "Invalid email or password." for a wrong password and for an unknown e-mail alike, and starts no session', async () => {
    const { app, context } = await buildTestApp();
    for (const user of [{ email: ALICE.email, password: 'wrong' }, { email: 'nobody@lilas.example', password: ALICE.password }]) {
      const browser = new Browser(app);
      const page = await logIn(browser, authorizeQuery(), user);
      expect(page.statusCode).toBe(200);
      expect(pageMessage(page.body)).toBe('Invalid email or password.');
      expect(page.body).toContain(`value="${user.email}"`);
      expect(page.headers['set-cookie'] ?? '').not.toContain('askara_session');
    }
    expect(databaseSnapshot(context).sessions).toEqual([]);
  });

  it('asks for both fields when one is empty', async () => {
    const { app } = await buildTestApp();
    const page = await logIn(new Browser(app), authorizeQuery(), { email: ALICE.email, password: '' });
    expect(pageMessage(page.body)).toBe('Enter your e-mail address and your password.');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, without Secure under http', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const login = await browser.go('GET', authorizeQuery());
    const form = formOf(login.body);
    const res = await browser.request('POST', form.action, { _csrf: form.csrf, email: ALICE.email, password: ALICE.password });
    const cookie = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('askara_session='));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/);
  });

  it('names the client and each requested scope in plain words on the consent page, with Authorize and Deny', async () => {
    const { app } = await buildTestApp();
    const consent = await logIn(new Browser(app), authorizeQuery({ scope: 'profile organization' }), ALICE);
    expect(consent.body).toContain(`<h1>Authorize ${WEB.name}?</h1>`);
    expect(consent.body).toContain(`Signed in as <strong>${ALICE.email}</strong>`);
    expect(consent.body).toContain('<code>profile</code> Read your profile');
    expect(consent.body).toContain('<code>organization</code> Read your organization');
    expect(consent.body).toContain('<button type="submit" name="decision" value="authorize">Authorize</button>');
    expect(consent.body).toContain('value="deny" class="secondary">Deny</button>');
  });

  it('skips the consent page when the user granted every requested scope before', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    await decideConsent(browser, await logIn(browser, authorizeQuery(), ALICE), 'authorize');
    const again = await browser.go('GET', authorizeQuery({ scope: 'profile', state: 'second' }));
    expect(again.statusCode).toBe(303);
    expect(redirectParams(again).get('state')).toBe('second');
    expect(redirectParams(again).get('code')).toBeTruthy();
  });

  it('asks again when a new scope is requested, and remembers per user', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    await decideConsent(browser, await logIn(browser, authorizeQuery({ scope: 'profile' }), ALICE), 'authorize');
    const wider = await browser.go('GET', authorizeQuery({ scope: 'profile organization' }));
    expect(wider.statusCode).toBe(200);
    expect(wider.body).toContain('Authorize</button>');
    const bruno = await logIn(new Browser(app), authorizeQuery({ scope: 'profile' }), BRUNO);
    expect(bruno.body).toContain('Authorize</button>');
  });

  it('redirects with error=access_denied and the state when the user clicks Deny, and issues no code', async () => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    const done = await decideConsent(browser, await logIn(browser, authorizeQuery({ state: 'deny-me' }), ALICE), 'deny');
    expect(done.statusCode).toBe(303);
    expect(Object.fromEntries(redirectParams(done))).toEqual({
      error: 'access_denied',
      error_description: 'The resource owner or authorization server denied the request.',
      hint: 'The user denied the authorization request on the consent page',
      state: 'deny-me',
      iss: 'http://127.0.0.1:8080',
    });
    const snapshot = databaseSnapshot(context);
    expect(snapshot.authorization_codes).toEqual([]);
    expect(snapshot.consents).toEqual([]);
  });

  it('issues a single code when the consent form is submitted twice', async () => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    const consent = await logIn(browser, authorizeQuery(), ALICE);
    const form = formOf(consent.body);
    await browser.go('POST', form.action, { _csrf: form.csrf, decision: 'authorize' });
    const second = await browser.go('POST', form.action, { _csrf: form.csrf, decision: 'authorize' });
    expect(second.statusCode).toBe(400);
    expect(pageMessage(second.body)).toBe('This authorization request is already finished; go back to the application and sign in again');
    expect(databaseSnapshot(context).authorization_codes).toHaveLength(1);
  });

  it('asks for the login again once the session has expired (12 hours on the emulator clock)', async () => {
    const { app, clock } = await buildTestApp();
    const browser = new Browser(app);
    await decideConsent(browser, await logIn(browser, authorizeQuery({ scope: 'profile' }), ALICE), 'authorize');
    clock.advanceBy(12 * 3600 - 1);
    expect((await browser.go('GET', authorizeQuery({ scope: 'profile' }))).statusCode).toBe(303);
    clock.advanceBy(1);
    expect((await browser.go('GET', authorizeQuery({ scope: 'profile' }))).body).toContain('<h1>Log in</h1>');
  });

  it('marks the session cookie Secure when the issuer is https', async () => {
    const { app } = await buildTestApp({ config: { issuer: 'https://askara.test' } });
    const browser = new Browser(app);
    const login = await browser.go('GET', authorizeQuery());
    const form = formOf(login.body);
    const res = await browser.request('POST', form.action, { _csrf: form.csrf, email: ALICE.email, password: ALICE.password });
    const cookie = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('__Host-askara_session='));
    expect(cookie).toMatch(/; Secure/);
  });

  it('shows a 400 page, not a redirect, for an authorization request left for more than 30 minutes', async () => {
    const { app, clock, context } = await buildTestApp();
    const browser = new Browser(app);
    const login = await browser.go('GET', authorizeQuery());
    const form = formOf(login.body);
    clock.advanceBy(30 * 60);
    const before = databaseSnapshot(context);
    const res = await browser.request('POST', form.action, { _csrf: form.csrf, email: ALICE.email, password: ALICE.password });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(pageMessage(res.body)).toBe('This authorization request has expired; go back to the application and sign in again');
    expect(databaseSnapshot(context)).toEqual(before);
  });

  it('shows a 400 page for an unknown interaction', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/interaction/not-a-real-id' });
    expect(res.statusCode).toBe(400);
    expect(pageMessage(res.body)).toBe('This authorization request is unknown; go back to the application and sign in again');
  });

  it.each([
    ['a duplicated email field', (csrf: string) => `_csrf=${encodeURIComponent(csrf)}&email=${ALICE.email}&email=other&password=x`, 'The `email` parameter was sent 2 times; send it once'],
    ['bytes that are not UTF-8', (csrf: string) => Buffer.concat([Buffer.from(`_csrf=${encodeURIComponent(csrf)}&password=x&email=`), Buffer.from([0xff])]), 'The body is not valid UTF-8; send it encoded as UTF-8'],
  ])('shows a readable 400 page for a login form with %s, and logs nobody in', async (_what, body, message) => {
    const { app, context } = await buildTestApp();
    const browser = new Browser(app);
    const start = await browser.request('GET', authorizeQuery());
    const login = await browser.go('GET', String(start.headers.location));
    const { action, csrf } = formOf(login.body);
    const before = databaseSnapshot(context);
    const cookies = Object.fromEntries([start.cookies, login.cookies].flat().map((c) => [c.name, c.value]));
    const res = await app.inject({ method: 'POST', url: action, cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body(csrf) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(pageMessage(res.body)).toBe(message);
    expect(databaseSnapshot(context)).toEqual(before);
  });

  describe('CSRF protection', () => {
    it.each([
      ['missing', undefined],
      ['wrong', 'forged-token'],
    ])('refuses a login form with a %s CSRF token with a 403 page, and logs nobody in', async (_what, token) => {
      const { app, context } = await buildTestApp();
      const browser = new Browser(app);
      const login = await browser.go('GET', authorizeQuery());
      const { action } = formOf(login.body);
      const before = databaseSnapshot(context);
      const res = await browser.request('POST', action, { ...(token ? { _csrf: token } : {}), email: ALICE.email, password: ALICE.password });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<h1>This form has expired</h1>');
      expect(databaseSnapshot(context)).toEqual(before);
    });

    it.each([
      ['missing', undefined],
      ['wrong', 'forged-token'],
    ])('refuses a consent form with a %s CSRF token with a 403 page, and issues nothing', async (_what, token) => {
      const { app, context } = await buildTestApp();
      const browser = new Browser(app);
      const consent = await logIn(browser, authorizeQuery(), ALICE);
      const { action } = formOf(consent.body);
      const before = databaseSnapshot(context);
      const res = await browser.request('POST', action, { ...(token ? { _csrf: token } : {}), decision: 'authorize' });
      expect(res.statusCode).toBe(403);
      expect(res.headers.location).toBeUndefined();
      expect(databaseSnapshot(context)).toEqual(before);
    });

    it('refuses a consent form posted by another browser (its own CSRF cookie, a stolen token)', async () => {
      const { app, context } = await buildTestApp();
      const victim = new Browser(app);
      const consent = await logIn(victim, authorizeQuery(), ALICE);
      const { action, csrf } = formOf(consent.body);
      const attacker = new Browser(app);
      await logIn(attacker, authorizeQuery(), BRUNO);
      const res = await attacker.request('POST', action, { _csrf: csrf, decision: 'authorize' });
      expect(res.statusCode).toBe(403);
      expect(databaseSnapshot(context).authorization_codes).toEqual([]);
    });
  });

  describe('requests that must never be redirected (SPEC §5)', () => {
    it.each([
      ['an unknown client_id', authorizeQuery({ client: { clientId: 'ghost', redirectUris: ['http://evil.example/cb'] } }), 'No client is registered with client_id `ghost`'],
      [
        'an unregistered redirect_uri',
        authorizeQuery({ redirectUri: 'http://evil.example/callback' }),
        `The redirect_uri \`http://evil.example/callback\` is not registered for client \`${WEB.clientId}\`; redirect URIs must match a registered one exactly (registered: ${CALLBACK})`,
      ],
      [
        'a redirect_uri with a longer path',
        authorizeQuery({ redirectUri: `${CALLBACK}/more` }),
        `The redirect_uri \`${CALLBACK}/more\` is not registered for client \`${WEB.clientId}\`; redirect URIs must match a registered one exactly (registered: ${CALLBACK})`,
      ],
      [
        'a redirect_uri with an extra query',
        authorizeQuery({ redirectUri: `${CALLBACK}?next=1` }),
        `The redirect_uri \`${CALLBACK}?next=1\` is not registered for client \`${WEB.clientId}\`; redirect URIs must match a registered one exactly (registered: ${CALLBACK})`,
      ],
      ['a duplicated client_id', `/authorize?client_id=${WEB.clientId}&client_id=${WEB.clientId}&response_type=code`, 'The `client_id` parameter was sent 2 times; send it once'],
      ['no client_id', '/authorize?response_type=code', 'Check the `client_id` parameter: it is missing; expected the client_id Askara gave your application'],
    ])('shows %s on a 400 page, never redirecting', async (_what, url, message) => {
      for (const interactiveLogin of [true, false]) {
        const { app, context } = await buildTestApp({ config: { interactiveLogin } });
        const before = databaseSnapshot(context);
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(400);
        expect(res.headers.location).toBeUndefined();
        expect(res.body).toContain('<h1>This sign-in link is not valid</h1>');
        expect(pageMessage(res.body)).toBe(message);
        expect(databaseSnapshot(context)).toEqual(before);
      }
    });
  });

  describe('bad parameters with a valid client and redirect URI', () => {
    it.each([
      ['an unknown scope', { scope: 'profile admin' }, 'invalid_scope', 'The scope `admin` is unknown; client `web-client` may request: profile organization'],
      ['an unknown response_type', { responseType: 'id_token' }, 'unsupported_response_type', 'response_type `id_token` is not supported; use one of: code, token'],
      [
        'the plain PKCE method',
        { extra: { code_challenge: pkcePair().verifier, code_challenge_method: 'plain' } },
        'invalid_request',
        'code_challenge_method `plain` is not supported; use S256 (the plain method is refused, RFC 9700 §2.1.1)',
      ],
      [
        'a code_challenge without method',
        { extra: { code_challenge: pkcePair().challenge } },
        'invalid_request',
        'Check the `code_challenge_method` parameter: it is missing, so RFC 7636 means "plain", which is not supported; send S256',
      ],
      [
        'a malformed code_challenge',
        { extra: { code_challenge: 'short', code_challenge_method: 'S256' } },
        'invalid_request',
        'code_challenge must be BASE64URL(SHA256(code_verifier)) without padding: 43 characters of A-Z a-z 0-9 - _',
      ],
    ])('redirects %s back with the error, its hint and the state', async (_what, options, error, hint) => {
      const { app, context } = await buildTestApp();
      const before = databaseSnapshot(context);
      const res = await app.inject({ method: 'GET', url: authorizeQuery({ state: 'st-42', ...options }) });
      expect(res.statusCode).toBe(302);
      expect(String(res.headers.location).startsWith(`${CALLBACK}?`)).toBe(true);
      expect(Object.fromEntries(redirectParams(res))).toEqual({
        error,
        error_description: expect.any(String),
        hint,
        state: 'st-42',
        iss: 'http://127.0.0.1:8080',
      });
      expect(databaseSnapshot(context)).toEqual(before);
    });

    it('redirects unauthorized_client when the client is not registered for the code grant', async () => {
      const { app } = await buildTestApp();
      const res = await app.inject({ method: 'GET', url: authorizeQuery({ client: SERVICE, state: 'st' }) });
      expect(Object.fromEntries(redirectParams(res))).toEqual({
        error: 'unauthorized_client',
        error_description: 'The client is not authorized to use this authorization grant type.',
        hint: `Client \`${SERVICE.clientId}\` is not registered for authorization_code (response_type=code); its grant types are: client_credentials, password, refresh_token, implicit`,
        state: 'st',
        iss: 'http://127.0.0.1:8080',
      });
    });

    it('redirects invalid_request when a public client sends no PKCE challenge', async () => {
      const { app } = await buildTestApp();
      const res = await app.inject({ method: 'GET', url: authorizeQuery({ client: DESKTOP, state: 'st' }) });
      expect(Object.fromEntries(redirectParams(res))).toMatchObject({
        error: 'invalid_request',
        error_description: INVALID_REQUEST,
        hint: `Client \`${DESKTOP.clientId}\` is public, so it must use PKCE: send code_challenge and code_challenge_method=S256`,
        state: 'st',
      });
    });

    it('redirects invalid_request for a duplicated scope and leaves out the ambiguous duplicated state', async () => {
      const { app } = await buildTestApp();
      const dupScope = await app.inject({ method: 'GET', url: `${authorizeQuery({ state: 'st' })}&scope=profile` });
      expect(Object.fromEntries(redirectParams(dupScope))).toMatchObject({
        error: 'invalid_request',
        hint: 'The `scope` parameter was sent 2 times; send it once',
        state: 'st',
      });
      const dupState = await app.inject({ method: 'GET', url: `${authorizeQuery({ state: 'a' })}&state=b` });
      const params = Object.fromEntries(redirectParams(dupState));
      expect(params).toMatchObject({ error: 'invalid_request', hint: 'The `state` parameter was sent 2 times; send it once' });
      expect(params).not.toHaveProperty('state');
    });
  });

  it('echoes an awkward state byte for byte, through the pages and without them', async () => {
    const state = 'a b+c&d=e/f?g#h%25i\u00e9\u{1F600}"<>\'';
    const interactive = await buildTestApp();
    const browser = new Browser(interactive.app);
    const done = await decideConsent(browser, await logIn(browser, authorizeQuery({ state }), ALICE), 'authorize');
    expect(redirectParams(done).get('state')).toBe(state);
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const res = await app.inject({ method: 'GET', url: authorizeQuery({ state, loginHint: ALICE.email }) });
    expect(redirectParams(res).get('state')).toBe(state);
  });

  it('keeps the registered redirect URI query and appends the code', async () => {
    const seed = { clients: [{ clientId: 'q', clientSecret: 'q-secret', name: 'Q', redirectUris: ['http://127.0.0.1:9999/cb?tenant=7'] }] };
    const { app } = await buildTestApp({ config: { interactiveLogin: false }, seed: { ...seed, users: [{ ...ALICE, organization: null }] } });
    const res = await app.inject({ method: 'GET', url: `/authorize?response_type=code&client_id=q&redirect_uri=${encodeURIComponent('http://127.0.0.1:9999/cb?tenant=7')}&state=s` });
    const location = new URL(String(res.headers.location));
    expect(location.searchParams.get('tenant')).toBe('7');
    expect(location.searchParams.get('code')).toBeTruthy();
  });

  it('accepts a public client on any loopback port with PKCE, and exchanges with the verifier', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const { verifier, challenge } = pkcePair();
    const redirectUri = 'http://127.0.0.1:53124/desktop/callback';
    const res = await app.inject({ method: 'GET', url: authorizeQuery({ client: DESKTOP, redirectUri, challenge, loginHint: ALICE.email }) });
    expect(String(res.headers.location).startsWith(`${redirectUri}?`)).toBe(true);
    const token = await postToken(app, {
      grant_type: 'authorization_code',
      code: redirectParams(res).get('code') ?? '',
      redirect_uri: redirectUri,
      client_id: DESKTOP.clientId,
      code_verifier: verifier,
    });
    expect(token.statusCode).toBe(200);
  });

  it('refuses a code after 60 seconds with "The authorization code has expired", and accepts it at 59', async () => {
    const { app, clock } = await buildTestApp({ config: { interactiveLogin: false } });
    const browserless = async () => redirectParams(await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: ALICE.email }) })).get('code') ?? '';
    const late = await browserless();
    const onTime = await browserless();
    clock.advanceBy(59);
    expect((await exchange(app, onTime)).statusCode).toBe(200);
    clock.advanceBy(1);
    const res = await exchange(app, late);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The authorization code has expired',
      hint: 'Authorization codes are valid for 60 seconds; start a new authorization',
    });
  });
});
