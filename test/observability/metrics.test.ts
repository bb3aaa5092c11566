import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { WEB } from '../helpers/fixtures.js';
import { clientParams, postToken, tokensFor } from '../helpers/oauth.js';

describe('GET /metrics (SPEC §14)', () => {
  it('counts requests by route and status, tokens by grant, errors by code, with latency histograms', async () => {
    const { app } = await buildTestApp({ config: { interactiveLogin: false } });
    const { refresh_token } = await tokensFor(app);
    await postToken(app, { grant_type: 'refresh_token', refresh_token, ...clientParams(WEB) });
    await postToken(app, { grant_type: 'refresh_token', refresh_token, ...clientParams(WEB) });
    await app.inject({ method: 'GET', url: '/no/such/thing' });

    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.body;
    for (const line of [
      'http_requests_total{route="/oauth2/token",method="POST",status="200"} 2',
      'http_requests_total{route="/oauth2/token",method="POST",status="400"} 1',
      'http_requests_total{route="/authorize",method="GET",status="302"} 1',
      'http_requests_total{route="unmatched",method="GET",status="404"} 1',
      'oauth_tokens_issued_total{grant_type="authorization_code"} 1',
      'oauth_tokens_issued_total{grant_type="refresh_token"} 1',
      'oauth_errors_total{error="invalid_grant"} 1',
      'oauth_errors_total{error="invalid_request"} 1',
      'http_request_duration_seconds_count{route="/oauth2/token",method="POST"} 3',
      '# TYPE http_request_duration_seconds histogram',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.005",route="\/oauth2\/token",method="POST"\} \d+$/m);
  });

  it('keeps a registry per emulator, so two in one process do not mix their counts', async () => {
    const first = await buildTestApp();
    const second = await buildTestApp();
    await first.app.inject({ method: 'GET', url: '/healthz' });
    await first.app.inject({ method: 'GET', url: '/healthz' });
    await second.app.inject({ method: 'GET', url: '/healthz' });
    expect((await first.app.inject({ method: 'GET', url: '/metrics' })).body).toContain('http_requests_total{route="/healthz",method="GET",status="200"} 2');
    expect((await second.app.inject({ method: 'GET', url: '/metrics' })).body).toContain('http_requests_total{route="/healthz",method="GET",status="200"} 1');
  });
});
