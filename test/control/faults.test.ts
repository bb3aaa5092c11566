import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { addFault, control } from '../helpers/control.js';
import { WEB } from '../helpers/fixtures.js';
import { clientParams, codeFor, postToken } from '../helpers/oauth.js';

const jwks = { method: 'GET', url: '/.well-known/jwks.json' } as const;

describe('POST /_emulator/faults: custom answers', () => {
  it('answers the next matching request with the status, JSON body and headers, then lets requests through', async () => {
    const { app } = await buildTestApp();
    const id = await addFault(app, { method: 'get', path: '/.well-known/jwks.json', status: 502, body: { message: 'bad gateway' }, headers: { 'x-upstream': 'down' } });
    expect(id).toMatch(/^flt_[\w-]{12}$/);
    expect((await app.inject({ method: 'POST', url: '/.well-known/jwks.json' })).statusCode).toBe(405);
    const faulted = await app.inject(jwks);
    expect(faulted.statusCode).toBe(502);
    expect(faulted.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(faulted.headers['x-upstream']).toBe('down');
    expect(faulted.json()).toEqual({ message: 'bad gateway' });
    expect((await app.inject(jwks)).statusCode).toBe(200);
  });

  it('sends a string body as it is, with the fault\'s Content-Type, and no body when none is given', async () => {
    const { app } = await buildTestApp();
    await addFault(app, { path: '/healthz', status: 502, body: '<html>502 Bad Gateway</html>', headers: { 'Content-Type': 'text/html' } });
    await addFault(app, { path: '/healthz', status: 204 });
    const html = await app.inject({ method: 'GET', url: '/healthz' });
    expect([html.statusCode, html.headers['content-type'], html.body]).toEqual([502, 'text/html', '<html>502 Bad Gateway</html>']);
    const empty = await app.inject({ method: 'GET', url: '/healthz' });
    expect([empty.statusCode, empty.body]).toEqual([204, '']);
  });

  it('is consumed exactly `times` times, even by concurrent requests over real sockets', async () => {
    const emulator = await buildTestApp({ config: { port: 0, host: '127.0.0.1' } });
    const address = await emulator.listen();
    await addFault(emulator.app, { path: '/.well-known/jwks.json', status: 503, times: 3 });
    const statuses = await Promise.all(Array.from({ length: 12 }, () => fetch(`${address}/.well-known/jwks.json`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 503)).toHaveLength(3);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect((await control(emulator.app, 'GET', '/faults')).json()).toEqual({ faults: [] });
  });

  it('answers before the body is read or anything changes: the code survives a faulted exchange', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const code = await codeFor(app);
    await addFault(app, { method: 'POST', path: '/oauth2/token', status: 503 });
    const exchange = () => postToken(app, { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0], ...clientParams(WEB) });
    expect((await exchange()).statusCode).toBe(503);
    expect((await exchange()).statusCode).toBe(200);
  });

  it('with delayMs alone, delays the real answer', async () => {
    const { app } = await buildTestApp();
    await addFault(app, { path: '/healthz', delayMs: 120 });
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('ok');
  });

  it('without a path, matches any path except the control API', async () => {
    const { app } = await buildTestApp();
    await addFault(app, { status: 500, times: 2 });
    expect((await control(app, 'GET', '/faults')).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/no/such/page' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/healthz?probe=1' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('POST /_emulator/faults: presets', () => {
  it('rate_limited answers as an empty rate-limit bucket: 429, Retry-After, x-ratelimit-* and the OAuth JSON error', async () => {
    const { app, context } = await buildTestApp({ config: { rateLimit: { capacity: 10, refillAmount: 5, refillPeriodSeconds: 60 } } });
    await control(app, 'POST', '/clock', { advance: 3600 });
    const id = await addFault(app, { preset: 'rate_limited', path: '/me' });
    const res = await app.inject({ method: 'GET', url: '/me' });
    const reset = Math.floor(context.clock.now() / 1000) + 60;
    expect(res.statusCode).toBe(429);
    expect(res.headers).toMatchObject({
      'retry-after': '60',
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset),
      'cache-control': 'no-store',
    });
    expect(res.json()).toEqual({
      error: 'too_many_requests',
      error_description: 'Too many requests: the rate limit of this client is exhausted.',
      hint: 'This client has used all 10 requests of its rate limit (RATE_LIMIT=10/5/60: 5 more every 60 seconds); retry after 60 seconds',
    });
    expect(id).toMatch(/^flt_/);
  });

  it('rate_limited uses Askara\'s documented bucket (5000/500/900) when RATE_LIMIT=off', async () => {
    const { app } = await buildTestApp({ config: { rateLimit: null } });
    await addFault(app, { preset: 'rate_limited' });
    const res = await app.inject({ method: 'POST', url: '/oauth2/token' });
    expect([res.headers['x-ratelimit-limit'], res.headers['retry-after']]).toEqual(['5000', '900']);
  });

  it.each([
    ['server_error', 500, 'server_error', 'The server failed'],
    ['unavailable', 503, 'temporarily_unavailable', 'The server is temporarily unavailable'],
  ])('%s answers %i with the OAuth error %s', async (preset, status, error, hint) => {
    const { app } = await buildTestApp();
    const id = await addFault(app, { preset, path: '/oauth2/token', times: 1 });
    const res = await postToken(app, { grant_type: 'client_credentials' });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error, hint: `${hint} [fault ${id} injected through /_emulator/faults]` });
  });
});

describe('GET and DELETE /_emulator/faults', () => {
  it('lists pending faults with their remaining counts, deletes one, then all', async () => {
    const { app } = await buildTestApp();
    const a = await addFault(app, { path: '/healthz', status: 503, times: 3 });
    const b = await addFault(app, { preset: 'rate_limited', method: 'POST', path: '/oauth2/token', delayMs: 5 });
    await app.inject({ method: 'GET', url: '/healthz' });
    const list = (await control(app, 'GET', '/faults')).json();
    expect(list.faults).toEqual([
      { id: a, method: null, path: '/healthz', preset: null, status: 503, headers: {}, delayMs: 0, times: 3, remaining: 2, createdAt: '2026-01-15T09:00:00.000Z' },
      { id: b, method: 'POST', path: '/oauth2/token', preset: 'rate_limited', status: null, headers: {}, delayMs: 5, times: 1, remaining: 1, createdAt: '2026-01-15T09:00:00.000Z' },
    ]);
    expect((await control(app, 'DELETE', `/faults/${a}`)).json()).toEqual({ deleted: a });
    expect((await control(app, 'GET', '/faults')).json().faults.map((f: { id: string }) => f.id)).toEqual([b]);
    expect((await control(app, 'DELETE', '/faults')).json()).toEqual({ cleared: 1 });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers 404 with a hint for an unknown fault id', async () => {
    const { app } = await buildTestApp();
    const res = await control(app, 'DELETE', '/faults/flt_nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Not found',
      hint: 'No pending fault has id `flt_nope`; GET /_emulator/faults lists them (a fault is gone once used up)',
    });
  });
});

describe('POST /_emulator/faults: validation', () => {
  it('refuses a malformed fault with a 400 and a precise hint, and adds nothing', async () => {
    const { app, context } = await buildTestApp();
    const res = await control(app, 'POST', '/faults', { status: 503, time: 2 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: expect.any(String),
      hint: 'Unknown field `time`; a fault takes: method, path, preset, status, body, headers, delayMs, times',
    });
    expect(context.faults.list()).toEqual([]);
  });
});
