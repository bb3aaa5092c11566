import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_CLIENT_ID, PLAYGROUND_CLIENT_SECRET } from '../../src/seed/playground-client.js';
import { buildTestApp, ISSUER, type TestApp } from '../helpers/app.js';
import { ALICE } from '../helpers/fixtures.js';
import { Browser, databaseSnapshot, decideConsent, decideDeviceByControl, decodeJwt, formOf, logIn } from '../helpers/oauth.js';

/** The page's text with eta's escaping undone, for plain `toContain` checks. */
function unescape(html: string): string {
  return html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The section of one step on a flow page (its raw HTML). */
function stepSection(html: string, step: string): string {
  const start = html.indexOf(`id="step-${step}"`);
  if (start < 0) throw new Error(`no step ${step} on the page`);
  const end = html.indexOf('<li class="pg-step', start + 1);
  return html.slice(start, end < 0 ? undefined : end);
}

/** A person in a browser on the playground: cookies kept, steps posted with the page's CSRF token. */
class Playground {
  readonly browser: Browser;
  constructor(readonly app: TestApp) {
    this.browser = new Browser(app.app);
  }

  async page(flow: string): Promise<LightMyRequestResponse> {
    return this.browser.go('GET', `/playground/${flow}`);
  }

  /** Posts a step's form and returns the flow page it leads back to. */
  async step(flow: string, step: string, fields: Record<string, string> = {}): Promise<string> {
    const { csrf } = formOf((await this.page(flow)).body);
    const res = await this.browser.request('POST', `/playground/${flow}/${step}`, { _csrf: csrf, ...fields });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/playground/${flow}#step-${step}`);
    const page = await this.page(flow);
    expect(page.statusCode).toBe(200);
    return page.body;
  }

  /** Step 1 and 2 of a code flow: the URL, then login and consent on the real pages, then the callback. */
  async authorize(flow: string): Promise<{ url: URL; callback: LightMyRequestResponse }> {
    const html = await this.step(flow, 'authorize-url');
    const href = /<a class="button" href="([^"]+)">Open the authorization URL<\/a>/.exec(html)?.[1];
    if (!href) throw new Error('no authorization link');
    const url = new URL(unescape(href));
    const consent = await logIn(this.browser, `${url.pathname}${url.search}`, ALICE);
    const back = await decideConsent(this.browser, consent, 'authorize');
    const location = new URL(String(back.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${ISSUER}/playground/callback`);
    const callback = await this.browser.request('GET', `${location.pathname}${location.search}`);
    return { url, callback };
  }
}

describe('/playground', () => {
  it('lists the six flows and shows its own client, secret included, with the callback at this issuer', async () => {
    const app = await buildTestApp();
    const res = await app.app.inject({ method: 'GET', url: '/playground' });
    expect(res.statusCode).toBe(200);
    const text = unescape(res.body);
    for (const flow of ['authorization-code-pkce', 'authorization-code', 'refresh', 'device', 'client-credentials', 'password']) {
      expect(res.body).toContain(`href="/playground/${flow}"`);
    }
    expect(text).toContain(PLAYGROUND_CLIENT_ID);
    expect(text).toContain(PLAYGROUND_CLIENT_SECRET);
    expect(text).toContain(`${ISSUER}/playground/callback`);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('walks the authorization code flow with PKCE: URL, login and consent, callback, exchange, refresh, /me', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const { url, callback } = await pg.authorize('authorization-code-pkce');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: PLAYGROUND_CLIENT_ID,
      redirect_uri: `${ISSUER}/playground/callback`,
      scope: 'profile organization',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(callback.statusCode).toBe(200);
    const cb = unescape(stepSection(callback.body, 'callback'));
    expect(cb).toContain('✓ state');
    expect(cb).toContain('✓ iss');
    expect(cb).toContain(url.searchParams.get('state') ?? 'missing');

    const exchanged = unescape(stepSection(await pg.step('authorization-code-pkce', 'exchange'), 'exchange'));
    expect(exchanged).toContain('POST /oauth2/token HTTP/1.1');
    expect(exchanged).toMatch(/authorization: Basic [A-Za-z0-9+/=]+/);
    expect(exchanged).toMatch(/grant_type=authorization_code&code=[^&\s]+&redirect_uri=[^&\s]+&code_verifier=[A-Za-z0-9_-]{43}/);
    expect(exchanged).toContain('HTTP/1.1 200 OK');
    expect(exchanged).toContain('cache-control: no-store');
    expect(exchanged).toContain(`"aud": "${PLAYGROUND_CLIENT_ID}"`);
    expect(exchanged).toContain(`"sub": "${ALICE.uuid}"`);
    expect(exchanged).toContain('"typ": "JWT"');
    expect(exchanged).toContain(`curl -i ${ISSUER}/oauth2/token \\`);

    const refreshed = unescape(stepSection(await pg.step('authorization-code-pkce', 'refresh'), 'refresh'));
    expect(refreshed).toContain('grant_type=refresh_token&refresh_token=def50200');
    expect(refreshed).toContain('HTTP/1.1 200 OK');

    const me = unescape(stepSection(await pg.step('authorization-code-pkce', 'me'), 'me'));
    expect(me).toContain('GET /me HTTP/1.1');
    expect(me).toMatch(/authorization: Bearer eyJ/);
    expect(me).toContain(`"email": "${ALICE.email}"`);
    expect(me).toContain(`curl -i ${ISSUER}/me \\`);
  });

  it('sends its requests through the whole app: the request journal records them', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    await pg.step('client-credentials', 'client-credentials');
    const journal = (await app.app.inject({ method: 'GET', url: '/_emulator/requests' })).json() as { requests: Array<Record<string, unknown>> };
    expect(journal.requests.find((r) => r.path === '/oauth2/token')).toMatchObject({ method: 'POST', status: 200, clientId: PLAYGROUND_CLIENT_ID, grantType: 'client_credentials' });
  });

  it('shows a fault injected by the control API as the response of the step', async () => {
    const app = await buildTestApp();
    await app.app.inject({ method: 'POST', url: '/_emulator/faults', payload: { preset: 'unavailable', path: '/oauth2/token' } });
    const pg = new Playground(app);
    const shown = unescape(stepSection(await pg.step('client-credentials', 'client-credentials'), 'client-credentials'));
    expect(shown).toContain('HTTP/1.1 503 Service Unavailable');
  });

  it('walks the authorization code flow without PKCE: no challenge, no verifier, the secret alone', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const { url, callback } = await pg.authorize('authorization-code');
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(callback.statusCode).toBe(200);
    const exchanged = unescape(stepSection(await pg.step('authorization-code', 'exchange'), 'exchange'));
    expect(exchanged).not.toContain('code_verifier=');
    expect(exchanged).toContain('HTTP/1.1 200 OK');
    // a code works once: sending it again shows the refusal
    const again = unescape(stepSection(await pg.step('authorization-code', 'exchange'), 'exchange'));
    expect(again).toContain('HTTP/1.1 400 Bad Request');
    expect(again).toContain('"error": "invalid_grant"');
  });

  it('shows refresh rotation: the spent token is refused and the family revoked, so /me then answers 401', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    await pg.authorize('refresh');
    await pg.step('refresh', 'exchange');
    await pg.step('refresh', 'refresh');
    const replay = unescape(stepSection(await pg.step('refresh', 'replay'), 'replay'));
    expect(replay).toContain('"error": "invalid_grant"');
    const me = unescape(stepSection(await pg.step('refresh', 'me'), 'me'));
    expect(me).toContain('HTTP/1.1 401 Unauthorized');
    expect(me).toContain('www-authenticate: Bearer');
  });

  it('walks the device flow: code, pending poll, approval, tokens, /me', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const started = unescape(stepSection(await pg.step('device', 'device-start'), 'device-start'));
    const userCode = /class="user-code">([B-Z]{4}-[B-Z]{4})</.exec(started)?.[1];
    expect(userCode).toBeDefined();
    expect(started).toContain(`href="${ISSUER}/device?user_code=${userCode}"`);
    const pending = unescape(stepSection(await pg.step('device', 'device-poll'), 'device-poll'));
    expect(pending).toContain('"error": "authorization_pending"');
    expect((await decideDeviceByControl(app.app, 'approve', { user_code: userCode, email: ALICE.email })).statusCode).toBe(200);
    app.clock.advanceBy(5);
    const done = unescape(stepSection(await pg.step('device', 'device-poll'), 'device-poll'));
    expect(done).toContain('HTTP/1.1 200 OK');
    expect(done).toContain('(sent 2 times)');
    const me = unescape(stepSection(await pg.step('device', 'me'), 'me'));
    expect(me).toContain(`"email": "${ALICE.email}"`);
  });

  it('walks client credentials: a client token, its introspection, and /me refusing a token without a user', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const got = unescape(stepSection(await pg.step('client-credentials', 'client-credentials', { scope: 'profile' }), 'client-credentials'));
    expect(got).toContain(`"sub": "${PLAYGROUND_CLIENT_ID}"`);
    expect(got).not.toContain('"refresh_token"');
    const introspected = unescape(stepSection(await pg.step('client-credentials', 'introspect'), 'introspect'));
    expect(introspected).toContain('"active": true');
    const me = unescape(stepSection(await pg.step('client-credentials', 'me'), 'me'));
    expect(me).toContain('HTTP/1.1 403 Forbidden');
    expect(me).toContain('"error": "insufficient_scope"');
  });

  it('walks the password grant, showing a wrong password as the server refuses it', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const wrong = unescape(stepSection(await pg.step('password', 'password', { username: ALICE.email, password: 'nope' }), 'password'));
    expect(wrong).toContain('"error": "invalid_grant"');
    expect(stepSection(await pg.page('password').then((r) => r.body), 'refresh')).toContain('Get a token pair first.');
    const right = unescape(stepSection(await pg.step('password', 'password', { username: ALICE.email, password: ALICE.password }), 'password'));
    expect(right).toContain('HTTP/1.1 200 OK');
    await pg.step('password', 'refresh');
    const me = unescape(stepSection(await pg.step('password', 'me'), 'me'));
    expect(me).toContain(`"email": "${ALICE.email}"`);
  });

  it('keeps its client after a reset (even one removed meanwhile) and forgets the flows', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    await pg.step('client-credentials', 'client-credentials');
    app.context.repos.clients.remove(PLAYGROUND_CLIENT_ID);
    await app.app.inject({ method: 'POST', url: '/_emulator/reset' });
    expect(app.context.repos.clients.find(PLAYGROUND_CLIENT_ID)?.redirectUris).toEqual([`${ISSUER}/playground/callback`]);
    expect(stepSection((await pg.page('client-credentials')).body, 'introspect')).toContain('Get an access token first.');
  });

  it('logs neither the client secret nor the tokens it handles', async () => {
    const logLines: string[] = [];
    const app = await buildTestApp({ logLines });
    const pg = new Playground(app);
    const html = unescape(await pg.step('password', 'password', { username: ALICE.email, password: ALICE.password }));
    const refresh = /refresh_token": "(def50200[0-9a-f]+)"/.exec(html)?.[1];
    expect(refresh).toBeDefined();
    const log = logLines.join('\n');
    expect(log).toContain('/oauth2/token');
    expect(log).not.toContain(PLAYGROUND_CLIENT_SECRET);
    expect(log).not.toContain(ALICE.password);
    expect(log).not.toContain(refresh);
  });
});

describe('/playground refusals (readable pages, never 500)', () => {
  it('refuses a callback whose state this browser did not make, and changes nothing', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    await pg.step('authorization-code-pkce', 'authorize-url');
    const before = databaseSnapshot(app.context);
    const res = await pg.browser.request('GET', '/playground/callback?code=abc&state=forged');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(unescape(res.body)).toContain('The state `forged` is not one this browser’s playground made');
    expect(databaseSnapshot(app.context)).toEqual(before);
  });

  it('refuses a callback without state, without code, with a foreign iss or a repeated parameter', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const html = await pg.step('authorization-code-pkce', 'authorize-url');
    const state = new URL(unescape(/href="(http[^"]+\/authorize\?[^"]+)"/.exec(html)?.[1] ?? '')).searchParams.get('state') ?? '';
    const cases: Array<[string, string]> = [
      ['?code=abc', 'no state parameter'],
      [`?state=${state}`, 'neither a code nor an error'],
      [`?code=abc&state=${state}&iss=${encodeURIComponent('https://evil.example')}`, 'is not this server’s issuer'],
      [`?code=abc&code=def&state=${state}`, 'The code parameter was sent more than once'],
    ];
    for (const [query, message] of cases) {
      const res = await pg.browser.request('GET', `/playground/callback${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(unescape(res.body), query).toContain(message);
    }
  });

  it('refuses a callback in a browser that started no flow', async () => {
    const app = await buildTestApp();
    const res = await app.app.inject({ method: 'GET', url: '/playground/callback?code=abc&state=xyz' });
    expect(res.statusCode).toBe(400);
    expect(unescape(res.body)).toContain(`opened at ${ISSUER}`);
  });

  it('shows the denial a callback carries', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const html = await pg.step('authorization-code', 'authorize-url');
    const url = new URL(unescape(/href="(http[^"]+\/authorize\?[^"]+)"/.exec(html)?.[1] ?? ''));
    const consent = await logIn(pg.browser, `${url.pathname}${url.search}`, ALICE);
    const back = new URL(String((await decideConsent(pg.browser, consent, 'deny')).headers.location));
    const res = await pg.browser.request('GET', `${back.pathname}${back.search}`);
    expect(res.statusCode).toBe(200);
    expect(unescape(stepSection(res.body, 'callback'))).toContain('access_denied');
    expect(stepSection(res.body, 'exchange')).toContain('come back with a code first');
  });

  it('escapes a code reflected from the query: no markup of the attacker reaches the page', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const html = await pg.step('authorization-code-pkce', 'authorize-url');
    const state = new URL(unescape(/href="(http[^"]+\/authorize\?[^"]+)"/.exec(html)?.[1] ?? '')).searchParams.get('state') ?? '';
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const res = await pg.browser.request('GET', `/playground/callback?code=${encodeURIComponent(evil)}&state=${state}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const forged = await pg.browser.request('GET', `/playground/callback?code=x&state=${encodeURIComponent(evil)}`);
    expect(forged.statusCode).toBe(400);
    expect(forged.body).not.toContain('<script>alert(1)');
  });

  it('answers an unknown flow or step with a readable 404 page', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const unknown = await app.app.inject({ method: 'GET', url: '/playground/implicit' });
    expect(unknown.statusCode).toBe(404);
    expect(unescape(unknown.body)).toContain('The playground has no flow named “implicit”');
    const { csrf } = formOf((await pg.page('device')).body);
    for (const url of ['/playground/nope/exchange', '/playground/device/exchange', '/playground/device/callback', '/playground/device/__proto__']) {
      const res = await pg.browser.request('POST', url, { _csrf: csrf });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('text/html');
    }
  });

  it('refuses a step that cannot run yet with 409 and what to do first', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const { csrf } = formOf((await pg.page('authorization-code-pkce')).body);
    const res = await pg.browser.request('POST', '/playground/authorization-code-pkce/exchange', { _csrf: csrf });
    expect(res.statusCode).toBe(409);
    expect(unescape(res.body)).toContain('Follow the authorization URL and come back with a code first.');
  });

  it('refuses a step posted without the CSRF token (403) and sends nothing', async () => {
    const app = await buildTestApp();
    const res = await app.app.inject({
      method: 'POST',
      url: '/playground/client-credentials/client-credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'scope=profile',
    });
    expect(res.statusCode).toBe(403);
    const journal = (await app.app.inject({ method: 'GET', url: '/_emulator/requests' })).json() as { requests: Array<{ path: string }> };
    expect(journal.requests.filter((r) => r.path === '/oauth2/token')).toEqual([]);
  });

  it('refuses a repeated form field', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const { csrf } = formOf((await pg.page('client-credentials')).body);
    const res = await app.app.inject({
      method: 'POST',
      url: '/playground/client-credentials/client-credentials',
      cookies: { askara_csrf: (pg.browser as unknown as { cookies: Map<string, string> }).cookies.get('askara_csrf') ?? '' },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf)}&scope=profile&scope=organization`,
    });
    expect(res.statusCode).toBe(400);
    expect(unescape(res.body)).toContain('The scope field was sent more than once');
  });
});

// keeps the decodeJwt helper honest against the page's own decoding
describe('/playground decoded token', () => {
  it('shows the same header and claims as decoding the token from the response body', async () => {
    const app = await buildTestApp();
    const pg = new Playground(app);
    const html = unescape(await pg.step('client-credentials', 'client-credentials'));
    const token = /"access_token": "([^"]+)"/.exec(html)?.[1] ?? '';
    const { header, payload } = decodeJwt(token);
    expect(html).toContain(JSON.stringify(header, null, 2));
    expect(html).toContain(JSON.stringify(payload, null, 2));
  });
});
