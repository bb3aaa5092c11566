import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { control } from '../helpers/control.js';
import { ALICE, WEB } from '../helpers/fixtures.js';

const ROUTES = [
  ['GET', '/clock', undefined],
  ['POST', '/clock', { advance: 10 }],
  ['POST', '/reset', undefined],
  ['POST', '/faults', { status: 503 }],
  ['GET', '/faults', undefined],
  ['DELETE', '/faults', undefined],
  ['DELETE', '/faults/flt_x', undefined],
  ['POST', '/tokens', { client_id: WEB.clientId, user: ALICE.email }],
  ['GET', '/requests', undefined],
] as const;

describe('the control API guard (SPEC §2, §8)', () => {
  it('refuses every control route from a non-loopback address when ADMIN_TOKEN is not set, changing nothing', async () => {
    const { app, context } = await buildTestApp();
    await control(app, 'POST', '/faults', { path: '/nowhere', status: 500 });
    for (const [method, path, body] of ROUTES) {
      const res = await control(app, method, path, body, { remoteAddress: '203.0.113.7' });
      expect(res.statusCode, `${method} ${path}`).toBe(403);
      expect(res.json()).toEqual({
        error: 'access_denied',
        error_description: 'The resource owner or authorization server denied the request.',
        hint: 'The control API answers only loopback clients when ADMIN_TOKEN is not set; set ADMIN_TOKEN to use it from elsewhere',
      });
    }
    expect(context.clock.offsetSeconds).toBe(0);
    expect(context.faults.list()).toHaveLength(1);
  });

  it('answers loopback clients (IPv4, IPv6 and IPv4-mapped) when ADMIN_TOKEN is not set', async () => {
    const { app } = await buildTestApp();
    for (const remoteAddress of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect((await control(app, 'GET', '/clock', undefined, { remoteAddress })).statusCode).toBe(200);
    }
  });

  it('refuses every control route with a wrong ADMIN_TOKEN, even from loopback', async () => {
    const { app, context } = await buildTestApp({ config: { adminToken: 'right-token' } });
    for (const [method, path, body] of ROUTES) {
      const res = await control(app, method, path, body, { headers: { authorization: 'Bearer wrong-token' } });
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator-control", error="invalid_token"');
      expect(res.json()).toEqual({
        error: 'invalid_token',
        error_description: 'The access token provided is expired, revoked, malformed, or invalid for other reasons.',
        hint: 'The bearer token does not match ADMIN_TOKEN',
      });
    }
    expect(context.clock.offsetSeconds).toBe(0);
    expect(context.faults.list()).toEqual([]);
  });

  it('asks for the bearer token when ADMIN_TOKEN is set and none is sent', async () => {
    const { app } = await buildTestApp({ config: { adminToken: 'right-token' } });
    const res = await control(app, 'GET', '/faults');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="askara-emulator-control"');
    expect(res.json().hint).toBe('The control API needs `Authorization: Bearer <ADMIN_TOKEN>` (ADMIN_TOKEN is set on this emulator)');
  });

  it('answers any address with the right ADMIN_TOKEN', async () => {
    const { app } = await buildTestApp({ config: { adminToken: 'right-token' } });
    const res = await control(app, 'POST', '/clock', { advance: 60 }, { remoteAddress: '203.0.113.7', headers: { authorization: 'Bearer right-token' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().offsetSeconds).toBe(60);
  });

  it('refuses an address for 15 minutes (emulator clock) after 20 wrong ADMIN_TOKENs, even with the right one, and no other address', async () => {
    const { app, clock } = await buildTestApp({ config: { adminToken: 'right-token' } });
    const guesser = { remoteAddress: '203.0.113.7' };
    for (let i = 0; i < 20; i += 1) {
      expect((await control(app, 'GET', '/clock', undefined, { ...guesser, headers: { authorization: `Bearer guess-${i}` } })).statusCode).toBe(401);
    }
    const locked = await control(app, 'GET', '/clock', undefined, { ...guesser, headers: { authorization: 'Bearer right-token' } });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.json()).toEqual({
      error: 'too_many_requests',
      error_description: 'Too many requests: the rate limit of this client is exhausted.',
      hint: 'Too many wrong admin tokens from this address; retry after 900 seconds',
    });
    const other = await control(app, 'GET', '/clock', undefined, { remoteAddress: '198.51.100.9', headers: { authorization: 'Bearer right-token' } });
    expect(other.statusCode).toBe(200);
    clock.advanceBy(15 * 60);
    expect((await control(app, 'GET', '/clock', undefined, { ...guesser, headers: { authorization: 'Bearer right-token' } })).statusCode).toBe(200);
  });

  it('leaves /metrics public: Prometheus scrapers send no bearer token', async () => {
    const { app } = await buildTestApp({ config: { adminToken: 'right-token' } });
    const res = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
    expect(res.statusCode).toBe(200);
  });
});
