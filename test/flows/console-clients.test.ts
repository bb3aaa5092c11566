import { describe, expect, it } from 'vitest';
import { verifyClientSecret } from '../../src/shared/random.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser, fieldError, type Form } from '../helpers/console.js';
import { SERVICE, WEB } from '../helpers/fixtures.js';
import { basicAuth, databaseSnapshot, getMe, postToken, tokensFor } from '../helpers/oauth.js';

const VALID: Form = {
  clientId: 'acme-pms',
  name: 'Acme PMS',
  type: 'confidential',
  redirectUris: 'http://localhost:3000/callback\r\nhttp://localhost:3000/other',
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
  scopes: 'profile organization',
};

function secretOf(html: string): string | undefined {
  return /id="client-secret">([^<]+)</.exec(html)?.[1];
}

/** Creates a client through the form; returns the secret page's response after the redirect. */
async function create(browser: ConsoleBrowser, form: Form) {
  const res = await browser.submit('/console/clients/new', '/console/clients', form);
  return { res, next: res.statusCode === 303 ? await browser.get(res.headers.location as string) : undefined };
}

function clientCredentials(app: TestApp['app'], id: string, secret: string) {
  return postToken(app, { grant_type: 'client_credentials', scope: 'profile' }, { headers: { authorization: basicAuth(id, secret) } });
}

describe('console: clients (SPEC §13)', () => {
  it('creates a confidential client, shows its secret once, stores it hashed as seeds do, and the secret works', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const { res, next } = await create(browser, VALID);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/console\/clients\/acme-pms\/secret\?once=[\w-]+$/);
    expect(next?.statusCode).toBe(200);
    expect(next?.headers['cache-control']).toBe('no-store');
    const secret = secretOf(next?.body ?? '');
    expect(secret).toMatch(/^[\w-]{32}$/);
    // once: the same address no longer shows it
    const again = await browser.get(res.headers.location as string);
    expect(secretOf(again.body)).toBeUndefined();
    expect(again.body).toContain('already shown');

    const stored = context.repos.clients.findWithSecretHash('acme-pms');
    expect(stored?.client).toEqual({
      id: 'acme-pms',
      name: 'Acme PMS',
      isPublic: false,
      redirectUris: ['http://localhost:3000/callback', 'http://localhost:3000/other'],
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      scopes: ['profile', 'organization'],
    });
    expect(stored?.secretHash).toMatch(/^hmac-sha256\$/);
    expect(stored?.secretHash).not.toContain(secret);
    expect(verifyClientSecret(secret ?? '', stored?.secretHash ?? '')).toBe(true);
    expect((await clientCredentials(app, 'acme-pms', secret ?? '')).statusCode).toBe(200);
    expect((await browser.get('/console/clients')).body).toContain('<code>acme-pms</code>');
  });

  it('creates a public client (no secret page), normalizing the device_code short form as seeds do', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const res = await browser.submit('/console/clients/new', '/console/clients', {
      ...VALID,
      clientId: 'desk',
      type: 'public',
      grantTypes: ['authorization_code', 'device_code'],
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/clients?done=created&id=desk');
    expect((await browser.get(res.headers.location as string)).body).toContain('Client desk was created.');
    expect(context.repos.clients.findWithSecretHash('desk')).toMatchObject({
      secretHash: null,
      client: { isPublic: true, grantTypes: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'] },
    });
  });

  it.each([
    ['an empty client id', { clientId: '' }, 'clientId', 'Enter a client id.'],
    ['a client id with a space', { clientId: 'a b' }, 'clientId', 'Use printable ASCII characters, without spaces.'],
    ['a taken client id', { clientId: WEB.clientId }, 'clientId', `A client with the id ${WEB.clientId} exists already.`],
    ['an empty name', { name: '  ' }, 'name', 'Enter a name.'],
    ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name', 'Must NOT have more than 200 characters.'],
    ['no grant type', { grantTypes: [] }, 'grantTypes', 'Choose at least one grant type.'],
    ['an unknown grant type', { grantTypes: ['authorization_code', 'magic'] }, 'grantTypes', 'Line 2: must be one of'],
    ['a public client with client_credentials', { type: 'public' }, 'grantTypes', 'A public client (no clientSecret) can never use client_credentials.'],
    ['an unknown type', { type: 'secret-ish' }, 'type', 'Choose public or confidential.'],
    ['a javascript: redirect URI', { redirectUris: 'javascript:alert(1)' }, 'redirectUris', 'Line 1: "javascript:alert(1)" uses the javascript: scheme'],
    ['a data: redirect URI', { redirectUris: 'http://ok.example/cb\ndata:text/html,hi' }, 'redirectUris', 'Line 2: "data:text/html,hi" uses the data: scheme'],
    ['a relative redirect URI', { redirectUris: '/callback' }, 'redirectUris', 'Line 1: "/callback" is not an absolute URI.'],
    ['a redirect URI with a fragment', { redirectUris: 'http://ok.example/cb#x' }, 'redirectUris', 'has a fragment, which RFC 6749 §3.1.2 forbids'],
    ['no redirect URI for the code grant', { redirectUris: '' }, 'redirectUris', 'Needed for the authorization_code and implicit grants.'],
    ['a scope with a quote', { scopes: 'profile "x' }, 'scopes', 'A scope is printable ASCII without spaces, double quotes or backslashes'],
  ])('refuses %s with a message next to the field, a 400 and nothing stored', async (_case, change, field, message) => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const before = databaseSnapshot(context);
    const { res } = await create(browser, { ...VALID, ...change } as Form);
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, field)).toContain(message);
    expect(res.body).toContain('The client was not saved');
    expect(databaseSnapshot(context)).toEqual(before);
  });

  it('reports every bad field at once, and shows the typed values back escaped', async () => {
    const { app } = await buildTestApp();
    const { res } = await create(new ConsoleBrowser(app), {
      clientId: 'x y',
      name: '',
      type: 'confidential',
      redirectUris: 'javascript:alert(1)\n"><script>alert(1)</script>',
      grantTypes: [],
      scopes: 'a\\b',
    });
    expect(res.statusCode).toBe(400);
    for (const field of ['clientId', 'name', 'redirectUris', 'grantTypes', 'scopes']) expect(fieldError(res.body, field), field).toBeDefined();
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('edits a client: its id stays, a public one made confidential gets a secret shown once', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const form = await browser.get('/console/clients/desktop-client');
    expect(form.body).toContain('value="Test Desktop PMS"');
    const bad = await browser.post('/console/clients/desktop-client', { ...VALID, name: '' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'name')).toBe('Enter a name.');
    const saved = await browser.post('/console/clients/desktop-client', { ...VALID, clientId: 'ignored', name: 'Renamed desktop' });
    expect(saved.statusCode).toBe(303);
    const secret = secretOf((await browser.get(saved.headers.location as string)).body);
    expect(secret).toBeDefined();
    expect(context.repos.clients.find('ignored')).toBeUndefined();
    expect(context.repos.clients.find('desktop-client')).toMatchObject({ name: 'Renamed desktop', isPublic: false });
    expect((await clientCredentials(app, 'desktop-client', secret ?? '')).statusCode).toBe(200);

    // made public again: the secret is gone, and so is client_credentials (a public client cannot have it)
    const refused = await browser.submit('/console/clients/desktop-client', '/console/clients/desktop-client', { ...VALID, type: 'public' });
    expect(fieldError(refused.body, 'grantTypes')).toContain('can never use client_credentials');
    const pub = await browser.post('/console/clients/desktop-client', { ...VALID, type: 'public', grantTypes: ['authorization_code'] });
    expect(pub.headers.location).toBe('/console/clients?done=updated&id=desktop-client');
    expect(context.repos.clients.findWithSecretHash('desktop-client')?.secretHash).toBeNull();
  });

  it('makes a new secret: the old one stops working at once, the new one works', async () => {
    const { app } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    expect((await clientCredentials(app, SERVICE.clientId, SERVICE.clientSecret)).statusCode).toBe(200);
    const res = await browser.submit(`/console/clients/${SERVICE.clientId}`, `/console/clients/${SERVICE.clientId}/secret`);
    expect(res.statusCode).toBe(303);
    const secret = secretOf((await browser.get(res.headers.location as string)).body) ?? '';
    expect((await clientCredentials(app, SERVICE.clientId, SERVICE.clientSecret)).statusCode).toBe(401);
    expect((await clientCredentials(app, SERVICE.clientId, secret)).statusCode).toBe(200);
    // a public client has no secret to renew
    expect((await browser.post('/console/clients/desktop-client/secret')).statusCode).toBe(404);
  });

  it('removes a client after a confirmation page: its tokens stop working at once', async () => {
    const { app, context } = await buildTestApp({ config: { interactiveLogin: false } });
    const tokens = await tokensFor(app);
    expect((await getMe(app, tokens.access_token)).statusCode).toBe(200);
    const browser = new ConsoleBrowser(app);
    const confirm = await browser.get(`/console/clients/${WEB.clientId}/remove`);
    expect(confirm.body).toContain('Remove client');
    const res = await browser.post(`/console/clients/${WEB.clientId}/remove`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/clients?done=removed&id=${WEB.clientId}`);
    expect(context.repos.clients.find(WEB.clientId)).toBeUndefined();
    const me = await getMe(app, tokens.access_token);
    expect(me.statusCode).toBe(401);
    expect(me.headers['www-authenticate']).toContain('error="invalid_token"');
    const refresh = await postToken(app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: WEB.clientId, client_secret: WEB.clientSecret });
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json().error).toBe('invalid_client');
    expect(context.db.$client.prepare('select count(*) as n from refresh_tokens').get()).toEqual({ n: 0 });
  });

  it('answers 404 pages for an unknown client', async () => {
    const { app } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    expect((await browser.get('/console/clients/nope')).statusCode).toBe(404);
    expect((await browser.get('/console/clients/nope/remove')).statusCode).toBe(404);
    await browser.get('/console/clients/new');
    expect((await browser.post('/console/clients/nope', VALID)).statusCode).toBe(404);
    expect((await browser.post('/console/clients/nope/remove')).statusCode).toBe(404);
  });
});
