import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../../src/context.js';
import type { DeviceAuthorizationResponse } from '../../src/oauth/device-authorization.js';
import { ALICE, DESKTOP, WEB } from './fixtures.js';

export interface ClientFixture {
  clientId: string;
  clientSecret?: string;
  redirectUris: readonly string[];
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function basicAuth(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

export function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString()), payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) };
}

export function authorizeQuery(options: {
  client?: ClientFixture;
  scope?: string;
  state?: string;
  challenge?: string;
  loginHint?: string;
  responseType?: string;
  redirectUri?: string;
  extra?: Record<string, string>;
} = {}): string {
  const client = options.client ?? WEB;
  const q = new URLSearchParams({
    response_type: options.responseType ?? 'code',
    client_id: client.clientId,
    redirect_uri: options.redirectUri ?? client.redirectUris[0] ?? '',
    scope: options.scope ?? 'profile organization',
    state: options.state ?? 'xyz-state',
  });
  if (options.challenge) {
    q.set('code_challenge', options.challenge);
    q.set('code_challenge_method', 'S256');
  }
  if (options.loginHint) q.set('login_hint', options.loginHint);
  for (const [k, v] of Object.entries(options.extra ?? {})) q.set(k, v);
  return `/authorize?${q}`;
}

/** The redirect's query (or fragment) parameters. */
export function redirectParams(res: LightMyRequestResponse): URLSearchParams {
  const location = res.headers.location;
  if (typeof location !== 'string') throw new Error(`expected a redirect, got ${res.statusCode} ${res.body.slice(0, 200)}`);
  const url = new URL(location, 'http://x');
  return url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}

/** An authorization code from an app built with INTERACTIVE_LOGIN=false. */
export async function codeFor(app: FastifyInstance, options: Parameters<typeof authorizeQuery>[0] = {}): Promise<string> {
  const res = await app.inject({ method: 'GET', url: authorizeQuery({ loginHint: ALICE.email, ...options }) });
  const code = redirectParams(res).get('code');
  if (!code) throw new Error(`no code in ${res.headers.location}`);
  return code;
}

export function postToken(app: FastifyInstance, body: Record<string, string>, options: { as?: 'json' | 'form'; headers?: Record<string, string> } = {}) {
  const as = options.as ?? 'json';
  return app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded', ...options.headers },
    payload: as === 'json' ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
}

export function clientParams(client: ClientFixture): Record<string, string> {
  return client.clientSecret ? { client_id: client.clientId, client_secret: client.clientSecret } : { client_id: client.clientId };
}

/** A token pair for `client` through the non-interactive code flow. */
export async function tokensFor(
  app: FastifyInstance,
  options: { client?: ClientFixture; scope?: string; loginHint?: string } = {},
): Promise<{ access_token: string; refresh_token: string; expires_in: number; token_type: string }> {
  const client = options.client ?? WEB;
  const pkce = client.clientSecret ? undefined : pkcePair();
  const code = await codeFor(app, { client, scope: options.scope, loginHint: options.loginHint ?? ALICE.email, challenge: pkce?.challenge });
  const res = await postToken(app, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUris[0] ?? '',
    ...clientParams(client),
    ...(pkce ? { code_verifier: pkce.verifier } : {}),
  });
  if (res.statusCode !== 200) throw new Error(`exchange failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A tiny browser: keeps cookies across inject calls and follows same-origin redirects. */
export class Browser {
  private cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number }>) {
      if (c.value === '' || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url,
      cookies: Object.fromEntries(this.cookies),
      ...(form ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() } : {}),
    });
    this.remember(res);
    return res;
  }

  /** Requests and follows redirects that stay on the server (relative or same origin). */
  async go(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<LightMyRequestResponse> {
    let res = await this.request(method, url, form);
    for (let hops = 0; hops < 10 && res.statusCode >= 300 && res.statusCode < 400; hops += 1) {
      const location = String(res.headers.location);
      if (/^https?:\/\//.test(location)) return res;
      res = await this.request('GET', location);
    }
    return res;
  }
}

/** The hidden _csrf field and the form action of a page. */
export function formOf(html: string): { action: string; csrf: string } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrf) throw new Error(`no form with a CSRF token in: ${html.slice(0, 300)}`);
  return { action, csrf };
}

/** Every row of every table: compare before and after a refused request to prove nothing changed. */
export function databaseSnapshot(context: AppContext): Record<string, unknown[]> {
  const client = context.db.$client;
  const tables = client
    .prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, client.prepare(`select * from "${t}" order by rowid`).all()]));
}

/** Opens /authorize in `browser` and logs in as `user` on the login page; returns the next page (consent or redirect). */
export async function logIn(
  browser: Browser,
  url: string,
  user: { email: string; password: string },
): Promise<LightMyRequestResponse> {
  const login = await browser.go('GET', url);
  const form = formOf(login.body);
  return browser.go('POST', form.action, { _csrf: form.csrf, email: user.email, password: user.password });
}

/** Submits the consent page with `decision`; returns the redirect to the client. */
export async function decideConsent(browser: Browser, consentPage: LightMyRequestResponse, decision: 'authorize' | 'deny'): Promise<LightMyRequestResponse> {
  const form = formOf(consentPage.body);
  return browser.go('POST', form.action, { _csrf: form.csrf, decision });
}

/** POST /oauth2/device-code (or its alias) for `client`, form-encoded unless `as: 'json'`. */
export function deviceAuthorize(
  app: FastifyInstance,
  options: { client?: ClientFixture; scope?: string; as?: 'json' | 'form'; path?: string; headers?: Record<string, string> } = {},
) {
  const body = { ...clientParams(options.client ?? DESKTOP), ...(options.scope ? { scope: options.scope } : {}) };
  const as = options.as ?? 'form';
  return app.inject({
    method: 'POST',
    url: options.path ?? '/oauth2/device-code',
    headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded', ...options.headers },
    payload: as === 'json' ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
}

/** POSTs a form (or JSON) to any endpoint: revocation, introspection, the token endpoint. */
export function postTo(
  app: FastifyInstance,
  url: string,
  body: Record<string, string>,
  options: { as?: 'json' | 'form'; headers?: Record<string, string> } = {},
) {
  const as = options.as ?? 'form';
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded', ...options.headers },
    payload: as === 'json' ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
}

/** What POST /oauth2/device-code answers (RFC 8628 §3.2). */
export type DeviceAuthorization = DeviceAuthorizationResponse;

/** A fresh device authorization for `client` (the public desktop client by default). */
export async function deviceCodeFor(app: FastifyInstance, options: Parameters<typeof deviceAuthorize>[1] = {}): Promise<DeviceAuthorization> {
  const res = await deviceAuthorize(app, options);
  if (res.statusCode !== 200) throw new Error(`device authorization failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** One poll of the token endpoint with the device grant. */
export function devicePoll(app: FastifyInstance, deviceCode: string, client: ClientFixture = DESKTOP) {
  return postToken(app, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, ...clientParams(client) }, { as: 'form' });
}

/** POST /_emulator/device/approve or /deny with a JSON body. */
export function decideDeviceByControl(app: FastifyInstance, decision: 'approve' | 'deny', body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/_emulator/device/${decision}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}

/** RFC 7009 revocation of `token` by `client` (form body, client_secret_post). */
export function revoke(app: FastifyInstance, token: string, client: ClientFixture = WEB, hint?: string) {
  return postTo(app, '/oauth2/revoke', { token, ...(hint ? { token_type_hint: hint } : {}), ...clientParams(client) });
}

/** RFC 7662 introspection of `token` by `client` (form body, client_secret_post). */
export function introspect(app: FastifyInstance, token: string, client: ClientFixture = WEB, hint?: string) {
  return postTo(app, '/oauth2/introspect', { token, ...(hint ? { token_type_hint: hint } : {}), ...clientParams(client) });
}

/** GET /me with a bearer token. */
export function getMe(app: FastifyInstance, accessToken: string) {
  return app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${accessToken}` } });
}

/** The location of a redirect split into its query and fragment parameters. */
export function locationParts(res: LightMyRequestResponse): { base: string; query: URLSearchParams; fragment: URLSearchParams } {
  const location = res.headers.location;
  if (typeof location !== 'string') throw new Error(`expected a redirect, got ${res.statusCode} ${res.body.slice(0, 200)}`);
  const url = new URL(location, 'http://x');
  return { base: `${url.origin}${url.pathname}`, query: url.searchParams, fragment: new URLSearchParams(url.hash.slice(1)) };
}
