import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';
import { databaseSnapshot } from '../helpers/oauth.js';

const TOKEN = 'console-admin-token-7f3a';

describe('the console guard (SPEC §2, §13)', () => {
  it('refuses a non-loopback browser when ADMIN_TOKEN is not set: a readable 403 page, and nothing changes', async () => {
    const { app, context } = await buildTestApp();
    const before = databaseSnapshot(context);
    const outsider = new ConsoleBrowser(app, { remoteAddress: '203.0.113.7' });
    for (const path of ['/console', '/console/clients', '/console/faults']) {
      const res = await outsider.get(path);
      expect(res.statusCode, path).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('The console answers only this machine (loopback) when ADMIN_TOKEN is not set');
    }
    const post = await outsider.post('/console/clients', { clientId: 'sneaky', name: 'Sneaky', type: 'public', grantTypes: 'device_code' });
    expect(post.statusCode).toBe(403);
    expect((await outsider.post('/console/reset')).statusCode).toBe(403);
    expect(databaseSnapshot(context)).toEqual(before);
  });

  it('answers loopback browsers when ADMIN_TOKEN is not set', async () => {
    const { app } = await buildTestApp();
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect((await new ConsoleBrowser(app, { remoteAddress }).get('/console')).statusCode).toBe(200);
    }
  });

  it('answers a mistyped console address with a 404 console page, and refuses it like any console page from elsewhere', async () => {
    const { app } = await buildTestApp();
    const page = await new ConsoleBrowser(app).get('/console/clientz');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('This console page does not exist (any more).');
    expect((await new ConsoleBrowser(app, { remoteAddress: '203.0.113.7' }).get('/console/clientz')).statusCode).toBe(403);
  });

  it('with ADMIN_TOKEN set, asks even loopback for the token with a 401 form, and refuses a wrong one', async () => {
    const logLines: string[] = [];
    const { app, context } = await buildTestApp({ config: { adminToken: TOKEN }, logLines });
    const browser = new ConsoleBrowser(app);
    const page = await browser.get('/console/users');
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('<label for="token">Admin token</label>');
    expect(page.body).toContain('name="next" value="/console/users"');
    const wrong = await browser.post('/console/login', { token: 'not-the-token', next: '/console/users' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('That is not the admin token.');
    expect(browser.cookies.has('askara_console')).toBe(false);
    // a forged cookie is no better
    browser.cookies.set('askara_console', 'forged');
    expect((await browser.get('/console')).statusCode).toBe(401);
    const before = databaseSnapshot(context);
    expect((await browser.post('/console/clients', { clientId: 'x', name: 'X', type: 'public' })).statusCode).toBe(401);
    expect(databaseSnapshot(context)).toEqual(before);
    expect(logLines.join('\n')).not.toContain('not-the-token');
  });

  it('keeps the right token in an HttpOnly, SameSite=Strict cookie that opens every page, never logging it', async () => {
    const logLines: string[] = [];
    const { app } = await buildTestApp({ config: { adminToken: TOKEN }, logLines });
    const browser = new ConsoleBrowser(app, { remoteAddress: '198.51.100.4' });
    await browser.get('/console/faults');
    const res = await browser.post('/console/login', { token: TOKEN, next: '/console/faults' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/faults');
    const cookie = res.cookies.find((c) => c.name === 'askara_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(cookie?.value).not.toContain(TOKEN);
    for (const path of ['/console', '/console/clients', '/console/users', '/console/organizations', '/console/grants', '/console/requests', '/console/clock', '/console/faults']) {
      expect((await browser.get(path)).statusCode, path).toBe(200);
    }
    expect(logLines.join('\n')).not.toContain(TOKEN);
    // the cookie opens the console only: it is not a bearer token for the control API
    const control = await app.inject({ method: 'GET', url: '/_emulator/clock', headers: { authorization: `Bearer ${cookie?.value}` } });
    expect(control.statusCode).toBe(401);
    // "Forget the admin token" logs the browser out
    const out = await browser.post('/console/logout');
    expect(out.statusCode).toBe(303);
    expect((await browser.get('/console')).statusCode).toBe(401);
  });

  it('accepts Authorization: Bearer ADMIN_TOKEN, as the control API does, and only a page of the console as the next stop', async () => {
    const { app } = await buildTestApp({ config: { adminToken: TOKEN } });
    expect((await new ConsoleBrowser(app, { headers: { authorization: `Bearer ${TOKEN}` } }).get('/console/clock')).statusCode).toBe(200);
    expect((await new ConsoleBrowser(app, { headers: { authorization: 'Bearer wrong' } }).get('/console/clock')).statusCode).toBe(401);
    const browser = new ConsoleBrowser(app);
    await browser.get('/console');
    for (const next of ['https://evil.example/', '//evil.example/console', '/console/../oauth2/token', '/console/%2e%2e/oauth2/token', '/consolex']) {
      const res = await browser.post('/console/login', { token: TOKEN, next });
      expect(res.headers.location, next).toBe('/console');
    }
  });

  it('shows a 429 page with Retry-After after 20 wrong admin tokens from one address, even for the right one', async () => {
    const { app } = await buildTestApp({ config: { adminToken: TOKEN } });
    const browser = new ConsoleBrowser(app, { remoteAddress: '198.51.100.4' });
    await browser.get('/console');
    for (let i = 0; i < 20; i += 1) expect((await browser.post('/console/login', { token: `guess-${i}`, next: '/console' })).statusCode).toBe(401);
    const locked = await browser.post('/console/login', { token: TOKEN, next: '/console' });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.body).toContain('Too many wrong admin tokens from this address; retry after 900 seconds.');
    expect(browser.cookies.has('askara_console')).toBe(false);
  });

  it('refuses a form without a valid CSRF token with a 403 page, changing nothing', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    await browser.get('/console/clients/new');
    const before = databaseSnapshot(context);
    const form = { clientId: 'csrf-less', name: 'No CSRF', type: 'public', grantTypes: 'device_code' };
    for (const csrf of ['', 'forged-token']) {
      const res = await browser.post('/console/clients', { ...form, _csrf: csrf });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('This form has expired');
    }
    // and with no CSRF cookie at all (a form posted from another site)
    const stranger = new ConsoleBrowser(app);
    expect((await stranger.post('/console/reset', { _csrf: 'x' })).statusCode).toBe(403);
    expect((await stranger.post('/console/clock', { action: 'advance', advance: '60', _csrf: 'x' })).statusCode).toBe(403);
    expect(databaseSnapshot(context)).toEqual(before);
    expect(context.clock.offsetSeconds).toBe(0);
  });
});
