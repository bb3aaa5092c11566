import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { emptyBucketAnswer } from '../../src/http/plugins/rate-limit.js';
import { refreshTokenKey } from '../../src/oauth/refresh-token-format.js';
import { buildTestApp } from '../helpers/app.js';
import { SERVICE, WEB } from '../helpers/fixtures.js';
import { authorizeQuery, getMe, introspect, postTo, postToken, revoke, tokensFor } from '../helpers/oauth.js';

const SMALL = { capacity: 3, refillAmount: 2, refillPeriodSeconds: 60 };
const T0 = Date.parse('2026-01-15T09:00:00Z');
const seconds = (ms: number) => String(Math.ceil(ms / 1000));
const serviceToken = (app: Parameters<typeof postToken>[0]) =>
  postToken(app, { grant_type: 'client_credentials', client_id: SERVICE.clientId, client_secret: SERVICE.clientSecret });
const limitHeaders = (res: { headers: Record<string, unknown> }) => ({
  limit: res.headers['x-ratelimit-limit'],
  remaining: res.headers['x-ratelimit-remaining'],
  reset: res.headers['x-ratelimit-reset'],
});

describe('rate limiting (SPEC §7, Askara token bucket)', () => {
  it("sends Askara's headers with the default 5000/500/900 on /me and the token endpoint", async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false, rateLimit: loadConfig({}).rateLimit } });
    const t = await tokensFor(app);
    const first = await getMe(app, t.access_token);
    const second = await getMe(app, t.access_token);
    expect(second.statusCode).toBe(200);
    // the bucket is web-client's: the code exchange took its first token
    expect(limitHeaders(first)).toEqual({ limit: '5000', remaining: '4998', reset: seconds(T0 + 900_000) });
    expect(limitHeaders(second)).toEqual({ limit: '5000', remaining: '4997', reset: seconds(T0 + 900_000) });
  });

  it('sends the headers on every API response, errors included, and nowhere else', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false, rateLimit: { capacity: 100, refillAmount: 10, refillPeriodSeconds: 60 } } });
    const t = await tokensFor(app);
    const api = [
      await getMe(app, t.access_token),
      await getMe(app, 'not-a-token'),
      await app.inject({ method: 'POST', url: '/me', headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' } }),
      await postToken(app, { grant_type: 'nope', client_id: WEB.clientId }),
      await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/json' }, payload: '{not json' }),
      await introspect(app, t.access_token),
      await revoke(app, 'unknown'),
      await postTo(app, '/oauth2/revoke', {}),
    ];
    for (const res of api) expect(res.headers['x-ratelimit-limit'], res.body).toBe('100');
    const others = [
      await app.inject({ url: '/.well-known/oauth-authorization-server' }),
      await app.inject({ url: '/.well-known/jwks.json' }),
      await app.inject({ url: '/healthz' }),
      await app.inject({ url: '/_emulator/clock' }),
      await app.inject({ url: '/' }),
      await app.inject({ url: authorizeQuery({ loginHint: 'x' }) }),
    ];
    for (const res of others) expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('answers 429 with Retry-After and a JSON error when the bucket is empty, without running the request', async () => {
    const { app, context } = await buildTestApp({ config: { interactiveLogin: false, rateLimit: SMALL } });
    const t = await tokensFor(app); // web-client: 1 of 3
    await getMe(app, t.access_token); // 2 of 3
    await getMe(app, t.access_token); // 3 of 3
    const refused = await postToken(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: WEB.clientId, client_secret: WEB.clientSecret });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers).toMatchObject({
      'retry-after': '60',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': seconds(T0 + 60_000),
      'cache-control': 'no-store',
    });
    expect(refused.json()).toEqual({
      error: 'too_many_requests',
      error_description: 'Too many requests: the rate limit of this client is exhausted.',
      hint: 'Client `web-client` has used all 3 requests of its rate limit (RATE_LIMIT=3/2/60: 2 more every 60 seconds); retry after 60 seconds',
    });
    // the refused refresh did not spend the refresh token
    expect(context.repos.tokens.findRefreshToken(refreshTokenKey(t.refresh_token))?.usedAt).toBeNull();
  });

  it('refills on the emulator clock: moving time gives the refill amount back', async () => {
    const { app, clock } = await buildTestApp({ config: { rateLimit: SMALL } });
    for (let i = 0; i < 3; i += 1) expect((await serviceToken(app)).statusCode).toBe(200);
    clock.advanceBy(30);
    const waiting = await serviceToken(app);
    expect(waiting.statusCode).toBe(429);
    expect(waiting.headers['retry-after']).toBe('30');
    clock.advanceBy(30);
    const refilled = await serviceToken(app);
    expect(refilled.statusCode).toBe(200);
    expect(limitHeaders(refilled)).toEqual({ limit: '3', remaining: '1', reset: seconds(T0 + 120_000) });
    clock.advanceBy(3600);
    expect(limitHeaders(await serviceToken(app))).toEqual({ limit: '3', remaining: '2', reset: seconds(T0 + 3_720_000) });
  });

  it('keeps one bucket per client: another client is not affected', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false, rateLimit: SMALL } });
    for (let i = 0; i < 3; i += 1) await serviceToken(app);
    expect((await serviceToken(app)).statusCode).toBe(429);
    const web = await tokensFor(app);
    const me = await getMe(app, web.access_token);
    expect(me.statusCode).toBe(200);
    expect(me.headers['x-ratelimit-remaining']).toBe('1');
  });

  it('counts requests naming no registered client per address', async () => {
    const { app } = await buildTestApp({ config: { rateLimit: SMALL } });
    for (const id of ['ghost-1', 'ghost-2', 'ghost-3']) expect((await postToken(app, { grant_type: 'client_credentials', client_id: id })).statusCode).toBe(401);
    const refused = await postToken(app, { grant_type: 'client_credentials', client_id: 'ghost-4' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().hint).toBe(
      'This address (127.0.0.1, no registered client named) has used all 3 requests of its rate limit (RATE_LIMIT=3/2/60: 2 more every 60 seconds); retry after 60 seconds',
    );
    // a registered client still has its own bucket
    expect((await serviceToken(app)).statusCode).toBe(200);
  });

  it('forgets the buckets on reset', async () => {
    const { app, context } = await buildTestApp({ config: { rateLimit: SMALL } });
    for (let i = 0; i < 3; i += 1) await serviceToken(app);
    context.reset();
    expect((await serviceToken(app)).headers['x-ratelimit-remaining']).toBe('2');
  });

  it('is off with RATE_LIMIT=off: no headers, no limit', async () => {
    const { app } = await buildTestApp({ config: { rateLimit: loadConfig({ RATE_LIMIT: 'off' }).rateLimit } });
    for (let i = 0; i < 5; i += 1) {
      const res = await serviceToken(app);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('exports the exact answer of an empty bucket, for the rate_limited fault preset', async () => {
    const { app } = await buildTestApp({ config: { rateLimit: SMALL } });
    for (let i = 0; i < 3; i += 1) await serviceToken(app);
    const refused = await serviceToken(app);
    const answer = emptyBucketAnswer(SMALL, T0, { subject: 'Client `service-client`' });
    expect(refused.statusCode).toBe(answer.status);
    expect(refused.json()).toEqual(answer.body);
    expect(refused.headers).toMatchObject(answer.headers);
  });
});
