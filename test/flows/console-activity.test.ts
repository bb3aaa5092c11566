import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ConsoleBrowser, fieldError } from '../helpers/console.js';
import { WEB } from '../helpers/fixtures.js';
import { postToken } from '../helpers/oauth.js';

describe('console: requests, clock and faults (SPEC §8, §13)', () => {
  it('shows the request journal with secrets masked, and does not record its own pages', async () => {
    const { app } = await buildTestApp();
    const code = 'a'.repeat(43);
    await postToken(app, { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0], client_id: WEB.clientId, client_secret: WEB.clientSecret });
    await app.inject({ method: 'GET', url: `/authorize?client_id=${WEB.clientId}&code=${code}` });
    const browser = new ConsoleBrowser(app);
    await browser.get('/console/clients');
    const page = await browser.get('/console/requests');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('POST /oauth2/token');
    expect(page.body).toContain('<code>invalid_grant</code>');
    expect(page.body).not.toContain(code);
    expect(page.body).not.toContain(WEB.clientSecret);
    expect(page.body).not.toContain('GET /console');
    expect((await browser.get('/console/requests?limit=1000')).body).toContain('<option value="1000" selected>');
  });

  it('advances, sets and resets the clock with the control API rules, refusing bad input with a 400', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const advanced = await browser.submit('/console/clock', '/console/clock', { action: 'advance', advance: '3600' });
    expect(advanced.statusCode).toBe(303);
    expect(context.clock.offsetSeconds).toBe(3600);
    expect((await browser.get(advanced.headers.location as string)).body).toContain('<span id="clock-offset">3600</span>');

    const bad = await browser.post('/console/clock', { action: 'advance', advance: 'soon' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'advance')).toBe('advance must be a number of seconds (negative moves back), within 100 years');
    expect(bad.body).toContain('value="soon"');
    const badSet = await browser.post('/console/clock', { action: 'set', set: 'tomorrow' });
    expect(badSet.statusCode).toBe(400);
    expect(fieldError(badSet.body, 'set')).toBe('set must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z');
    expect(context.clock.offsetSeconds).toBe(3600);

    await browser.post('/console/clock', { action: 'set', set: '2030-01-01T00:00:00Z' });
    expect(new Date(context.clock.now()).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    await browser.post('/console/clock', { action: 'reset' });
    expect(context.clock.offsetSeconds).toBe(0);
  });

  it('adds a preset fault and a custom one, lists them, and removes them', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const preset = await browser.submit('/console/faults', '/console/faults', { preset: 'rate_limited', path: '/oauth2/token', times: '1', delayMs: '0' });
    expect(preset.statusCode).toBe(303);
    const custom = await browser.post('/console/faults', { method: 'GET', path: '/me', status: '503', body: '{"error":"temporarily_unavailable"}', times: '2', delayMs: '0' });
    expect(custom.statusCode).toBe(303);
    const [first, second] = context.faults.list();
    expect(first).toMatchObject({ preset: 'rate_limited', path: '/oauth2/token', times: 1 });
    expect(second).toMatchObject({ method: 'GET', path: '/me', status: 503, body: { error: 'temporarily_unavailable' }, times: 2 });

    const page = await browser.get('/console/faults');
    expect(page.body).toContain('429 rate limited');
    expect(page.body).toContain('{&quot;error&quot;:&quot;temporarily_unavailable&quot;}');
    const limited = await postToken(app, { grant_type: 'client_credentials' });
    expect(limited.statusCode).toBe(429);

    expect((await browser.post(`/console/faults/${second?.id}/remove`)).headers.location).toBe(`/console/faults?done=removed&id=${second?.id}`);
    expect(context.faults.list()).toEqual([]);
    await browser.post('/console/faults', { status: '500', times: '3' });
    await browser.post('/console/faults', { status: '502' });
    expect((await browser.post('/console/faults/clear')).headers.location).toBe('/console/faults?done=cleared&id=2');
    expect(context.faults.list()).toEqual([]);
  });

  it.each([
    ['no answer at all', { times: '1', delayMs: '0' }, '_form', 'Give `status` (the answer), `preset`, or `delayMs` of at least 1'],
    ['a status out of range', { status: '99' }, 'status', '`status` must be a whole number from 200 to 599'],
    ['a word for a status', { status: 'five hundred' }, 'status', '`status` must be a whole number from 200 to 599'],
    ['a preset with a status', { preset: 'unavailable', status: '500' }, 'preset', '`preset` sets the answer itself'],
    ['a path without its slash', { status: '500', path: 'oauth2/token' }, 'path', '`path` must be a request path'],
    ['a console path', { status: '500', path: '/console' }, 'path', 'the control API and the console cannot be faulted'],
    ['zero times', { status: '500', times: '0' }, 'times', '`times` must be a whole number from 1 to 10000'],
  ])('refuses a fault with %s, with a 400 and the reason', async (_case, form, field, message) => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const res = await browser.submit('/console/faults', '/console/faults', form);
    expect(res.statusCode).toBe(400);
    const shown = field === '_form' ? /role="alert">([^<]*)</.exec(res.body)?.[1] : fieldError(res.body, field);
    expect(shown?.replace(/&#96;/g, '`').replace(/&#39;/g, "'")).toContain(message);
    expect(context.faults.list()).toEqual([]);
  });

  it('is never faulted, even by a fault for every path', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    await browser.submit('/console/faults', '/console/faults', { status: '500', times: '10' });
    expect((await browser.get('/console/faults')).statusCode).toBe(200);
    expect((await browser.post('/console/faults/clear')).statusCode).toBe(303);
    expect(context.faults.list()).toEqual([]);
  });

  it('resets the emulator from the overview', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    context.clock.advance(60);
    await browser.submit('/console/faults', '/console/faults', { status: '500' });
    const res = await browser.submit('/console', '/console/reset');
    expect(res.headers.location).toBe('/console?done=reset');
    expect(context.clock.offsetSeconds).toBe(0);
    expect(context.faults.list()).toEqual([]);
  });
});
