import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/observability/logger.js';
import { buildTestApp } from '../helpers/app.js';
import { control } from '../helpers/control.js';
import { ALICE, BRUNO, DESKTOP, SERVICE, WEB } from '../helpers/fixtures.js';
import {
  Browser,
  authorizeQuery,
  basicAuth,
  clientParams,
  decideConsent,
  deviceCodeFor,
  devicePoll,
  formOf,
  getMe,
  introspect,
  logIn,
  pkcePair,
  postToken,
  redirectParams,
  revoke,
} from '../helpers/oauth.js';

/*
 * SPEC §7, §14: "Nothing ever logs a password, secret, code or token in full." Every flow runs
 * with the log at `trace` (the most verbose LOG_LEVEL), every credential that crosses the wire in
 * either direction is collected from the requests and responses themselves, and none may appear in
 * any log line or in the request journal (GET /_emulator/requests), not even a 16-character piece
 * of one. User codes count as secrets while they can still be decided (README, "Device flow").
 */

const CREDENTIAL_FIELDS = ['password', 'client_secret', 'code', 'code_verifier', 'refresh_token', 'access_token', 'device_code', 'user_code', 'token', '_csrf'];

/** Records every credential the app sees or hands out. */
class Secrets {
  readonly values = new Set<string>();

  add(value: unknown): void {
    if (typeof value !== 'string' || value.length < 6) return;
    this.values.add(value);
    // a user code is accepted without its dash too
    if (/^[A-Z]{4}-[A-Z]{4}$/.test(value)) this.values.add(value.replace('-', ''));
  }

  fromFields(source: unknown): void {
    if (source === null || typeof source !== 'object') return;
    for (const field of CREDENTIAL_FIELDS) this.add((source as Record<string, unknown>)[field]);
  }

  fromRequest(options: InjectOptions): void {
    const headers = (options.headers ?? {}) as Record<string, string | undefined>;
    const authorization = headers.authorization ?? '';
    if (/^basic /i.test(authorization)) {
      this.add(authorization.slice(6));
      this.add(Buffer.from(authorization.slice(6), 'base64').toString().split(':').slice(1).join(':'));
    }
    if (/^bearer /i.test(authorization)) this.add(authorization.slice(7));
    for (const value of Object.values((options.cookies ?? {}) as Record<string, string>)) this.add(value);
    const url = new URL(String(options.url ?? '/'), 'http://x');
    this.fromFields(Object.fromEntries(url.searchParams));
    const payload = typeof options.payload === 'string' ? options.payload : '';
    try {
      if (payload.startsWith('{')) this.fromFields(JSON.parse(payload));
      else if (payload) this.fromFields(Object.fromEntries(new URLSearchParams(payload)));
    } catch {
      // a malformed body: the test adds its secrets itself
    }
  }

  fromResponse(res: LightMyRequestResponse): void {
    for (const cookie of res.cookies as Array<{ value: string }>) this.add(cookie.value);
    const location = res.headers.location;
    if (typeof location === 'string') {
      const url = new URL(location, 'http://x');
      this.fromFields(Object.fromEntries(url.searchParams));
      this.fromFields(Object.fromEntries(new URLSearchParams(url.hash.slice(1))));
    }
    if (String(res.headers['content-type']).startsWith('application/json') && res.body) this.fromFields(res.json());
    for (const m of res.body.matchAll(/name="(_csrf|user_code)" value="([^"]+)"/g)) this.add(m[2]);
  }

  /** The whole value, and 16-character pieces of it (start past a 6-character prefix, middle, end). */
  pieces(): string[] {
    const out: string[] = [];
    for (const v of this.values) {
      out.push(v);
      if (v.length >= 32) out.push(v.slice(6, 22), v.slice(v.length / 2, v.length / 2 + 16), v.slice(-16));
    }
    return out;
  }
}

/** An app whose every inject feeds `secrets`, logging at trace into `lines`. */
async function recordedApp(secrets: Secrets, lines: string[]) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const testApp = await buildTestApp({ logger: loggerOptions('trace', stream) });
  const { app } = testApp;
  const inject = app.inject.bind(app) as (options: InjectOptions) => Promise<LightMyRequestResponse>;
  (app as unknown as { inject: (options: InjectOptions) => Promise<LightMyRequestResponse> }).inject = async (options) => {
    secrets.fromRequest(options);
    const res = await inject(options);
    secrets.fromResponse(res);
    return res;
  };
  return testApp;
}

async function exchange(app: FastifyInstance, code: string, client: typeof WEB | typeof DESKTOP, verifier?: string) {
  const res = await postToken(app, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUris[0],
    ...clientParams(client),
    ...(verifier ? { code_verifier: verifier } : {}),
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ access_token: string; refresh_token: string }>();
}

describe('secrets in logs and in the request journal', () => {
  it('never shows a password, client secret, code, token, user code, CSRF token or cookie value from any flow', async () => {
    const secrets = new Secrets();
    const lines: string[] = [];
    const { app } = await recordedApp(secrets, lines);
    const status = (res: LightMyRequestResponse) => res.statusCode;

    // authorization code: login form (a wrong password first), consent, exchange with HTTP Basic
    const browser = new Browser(app);
    const loginPage = await browser.go('GET', authorizeQuery({ state: 'st' }));
    const wrong = formOf(loginPage.body);
    expect(status(await browser.go('POST', wrong.action, { _csrf: wrong.csrf, email: ALICE.email, password: 'Wrong-password-1!' }))).toBe(200);
    const consent = await logIn(browser, authorizeQuery({ state: 'st2' }), ALICE);
    const code = redirectParams(await decideConsent(browser, consent, 'authorize')).get('code') ?? '';
    const basic = basicAuth(WEB.clientId, WEB.clientSecret);
    const webTokens = (await postToken(app, { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0] }, { headers: { authorization: basic } })).json();
    expect(webTokens.access_token).toBeDefined();
    // the same code again (a replay, which revokes those tokens), then a new code: consent is remembered
    expect(status(await postToken(app, { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0], ...clientParams(WEB) }))).toBe(400);
    expect(status(await getMe(app, webTokens.access_token))).toBe(401);
    const again = redirectParams(await browser.go('GET', authorizeQuery({ state: 'st3' }))).get('code') ?? '';
    const webPair = await exchange(app, again, WEB);

    // PKCE with the public client, in the same browser session (a new consent)
    const pkce = pkcePair();
    const pkceConsent = await browser.go('GET', authorizeQuery({ client: DESKTOP, challenge: pkce.challenge }));
    const pkceCode = redirectParams(await decideConsent(browser, pkceConsent, 'authorize')).get('code') ?? '';
    expect(status(await postToken(app, { grant_type: 'authorization_code', code: pkceCode, redirect_uri: DESKTOP.redirectUris[0], client_id: DESKTOP.clientId, code_verifier: pkcePair().verifier }))).toBe(400);
    const pkceCode2 = redirectParams(await browser.go('GET', authorizeQuery({ client: DESKTOP, challenge: pkce.challenge }))).get('code') ?? '';
    const desktopTokens = await exchange(app, pkceCode2, DESKTOP, pkce.verifier);

    // refresh, then the spent token again (reuse), then an unknown one
    const refreshed = (await postToken(app, { grant_type: 'refresh_token', refresh_token: desktopTokens.refresh_token, client_id: DESKTOP.clientId })).json();
    expect(refreshed.refresh_token).toBeDefined();
    expect(status(await postToken(app, { grant_type: 'refresh_token', refresh_token: desktopTokens.refresh_token, client_id: DESKTOP.clientId }))).toBe(400);
    expect(status(await postToken(app, { grant_type: 'refresh_token', refresh_token: `def50200${'a1'.repeat(40)}`, client_id: DESKTOP.clientId }))).toBe(400);

    // device flow: pending poll, the /device pages (code entry, confirmation), control approve, polls
    const device = await deviceCodeFor(app);
    expect((await devicePoll(app, device.device_code)).json().error).toBe('authorization_pending');
    const deviceBrowser = new Browser(app);
    const entry = await deviceBrowser.go('GET', `/device?user_code=${device.user_code}`);
    const deviceLogin = await deviceBrowser.go('POST', '/device', { _csrf: formOf(entry.body).csrf, user_code: device.user_code.toLowerCase() });
    const loginForm = formOf(deviceLogin.body);
    const confirm = await deviceBrowser.go('POST', loginForm.action, { _csrf: loginForm.csrf, email: ALICE.email, password: ALICE.password });
    const confirmForm = formOf(confirm.body);
    expect(status(await deviceBrowser.go('POST', confirmForm.action, { _csrf: confirmForm.csrf, user_code: device.user_code, decision: 'authorize' }))).toBe(200);
    expect(status(await devicePoll(app, device.device_code))).toBe(200);
    expect(status(await devicePoll(app, device.device_code))).toBe(400);
    const byControl = await deviceCodeFor(app);
    expect(status(await control(app, 'POST', '/device/approve', { user_code: byControl.user_code, email: BRUNO.email }))).toBe(200);
    const deviceTokens = (await devicePoll(app, byControl.device_code)).json();
    expect(deviceTokens.access_token).toBeDefined();

    // client credentials (body and Basic), with wrong secrets too
    expect(status(await postToken(app, { grant_type: 'client_credentials', ...clientParams(SERVICE) }))).toBe(200);
    expect(status(await postToken(app, { grant_type: 'client_credentials' }, { headers: { authorization: basicAuth(SERVICE.clientId, SERVICE.clientSecret) } }))).toBe(200);
    expect(status(await postToken(app, { grant_type: 'client_credentials', client_id: SERVICE.clientId, client_secret: 'Bad-secret-value-9' }))).toBe(401);
    expect(status(await postToken(app, { grant_type: 'client_credentials' }, { headers: { authorization: basicAuth(SERVICE.clientId, 'Bad-basic-secret-8') } }))).toBe(401);

    // malformed bodies carrying a secret: the hint must not quote the body
    const badJson = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/json' }, payload: `{"grant_type":"password","password":"${ALICE.password}" x}` });
    expect(badJson.json().error).toBe('invalid_request');
    const badForm = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `grant_type=client_credentials&client_id=${SERVICE.clientId}&client_secret=${SERVICE.clientSecret}%E0%A4%A` });
    expect(badForm.json().error).toBe('invalid_request');
    secrets.add(`${SERVICE.clientSecret}%E0%A4%A`);

        // password grant: right and wrong passwords
    const passwordTokens = (await postToken(app, { grant_type: 'password', username: BRUNO.email, password: BRUNO.password, ...clientParams(SERVICE) })).json();
    expect(passwordTokens.access_token).toBeDefined();
    expect(status(await postToken(app, { grant_type: 'password', username: ALICE.email, password: 'Not-her-password-2', ...clientParams(SERVICE) }))).toBe(400);

    // /me: header, query (a client that puts it in the URL), and a forged token
    expect(status(await getMe(app, webPair.access_token))).toBe(200);
    expect(status(await app.inject({ method: 'GET', url: `/me?access_token=${refreshed.access_token}` }))).toBe(401);
    expect(status(await getMe(app, `${webPair.access_token.slice(0, -4)}AAAA`))).toBe(401);

    // introspection and revocation, of access and refresh tokens, with good and bad secrets
    expect((await introspect(app, webPair.refresh_token)).json().active).toBe(true);
    expect((await introspect(app, webPair.access_token, WEB, 'access_token')).json().active).toBe(true);
    expect(status(await introspect(app, webPair.access_token, { ...WEB, clientSecret: 'Wrong-introspect-7' }))).toBe(401);
    expect(status(await revoke(app, passwordTokens.access_token, SERVICE))).toBe(200);
    expect(status(await revoke(app, webPair.refresh_token, WEB, 'refresh_token'))).toBe(200);
    expect(status(await revoke(app, deviceTokens.refresh_token, { ...WEB, clientSecret: 'Wrong-revoke-secret-6' }))).toBe(401);

    // tokens without a flow (control API)
    const minted = await control(app, 'POST', '/tokens', { client_id: WEB.clientId, user: ALICE.email });
    expect(minted.statusCode).toBe(200);
    secrets.fromResponse(minted);

    // the seeded credentials count even where no request carried them
    for (const s of [ALICE.password, BRUNO.password, WEB.clientSecret, SERVICE.clientSecret]) secrets.add(s);
    for (const t of [webTokens, webPair, desktopTokens, refreshed, deviceTokens, passwordTokens]) secrets.fromFields(t);
    expect(secrets.values.size).toBeGreaterThan(40);

    const journal = await control(app, 'GET', '/requests?limit=1000');
    expect(journal.statusCode).toBe(200);
    const entries = journal.json<{ requests: unknown[] }>().requests;
    expect(entries.length).toBeGreaterThan(40);
    const journalText = JSON.stringify(entries);
    const logText = lines.join('\n');
    // the capture works: every request left a line
    expect(lines.filter((l) => l.includes('"request completed"')).length).toBeGreaterThan(40);

    const leaks = secrets.pieces().filter((piece) => logText.includes(piece) || journalText.includes(piece));
    expect(leaks).toEqual([]);
  }, 20_000);
});
