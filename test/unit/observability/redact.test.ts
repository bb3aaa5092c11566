import { describe, expect, it } from 'vitest';
import { maskSecrets, pathOf, redactUrl } from '../../../src/observability/redact.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const REFRESH = `def50200${'ab'.repeat(496)}`;

describe('secret redaction', () => {
  it('masks JWTs and long token-like runs, keeping UUIDs, URLs and words', () => {
    const text = `token ${JWT} and ${REFRESH} for 9e2c23ee-90f3-495c-8e2f-8f2404bcd64d at http://127.0.0.1:9999/callback`;
    expect(maskSecrets(text)).toBe('token eyJhbG… and def502… for 9e2c23ee-90f3-495c-8e2f-8f2404bcd64d at http://127.0.0.1:9999/callback');
  });

  it('replaces the values of secret query parameters and keeps the others', () => {
    expect(redactUrl('/cb?code=abc&state=xyz&access_token=t&client_secret=s&user_code=BCDF')).toBe(
      '/cb?code=[REDACTED]&state=xyz&access_token=[REDACTED]&client_secret=[REDACTED]&user_code=[REDACTED]',
    );
    expect(redactUrl('/authorize?client_id=web&%63ode=abc')).toBe('/authorize?client_id=web&%63ode=[REDACTED]');
    expect(redactUrl('/healthz')).toBe('/healthz');
  });

  it('takes the path without the query string', () => {
    expect(pathOf('/oauth2/token?x=1')).toBe('/oauth2/token');
    expect(pathOf('/me')).toBe('/me');
  });
});
