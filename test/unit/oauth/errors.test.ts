import { describe, expect, it } from 'vitest';
import { invalidClient, invalidGrant, invalidRequest, OAuthError, statusOf, type OAuthErrorCode } from '../../../src/oauth/errors.js';

describe('OAuthError', () => {
  it('serialises as {error, error_description, hint} in that order', () => {
    const error = invalidRequest('Check the `code` parameter: it is missing');
    expect(Object.keys(error.toJSON())).toEqual(['error', 'error_description', 'hint']);
    expect(error.toJSON()).toEqual({
      error: 'invalid_request',
      error_description:
        'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
      hint: 'Check the `code` parameter: it is missing',
    });
  });

  it('uses a description given by the caller instead of the standard one', () => {
    const error = invalidGrant('Codes are valid for 60 seconds', { description: 'The authorization code has expired' });
    expect(error.toJSON()).toEqual({ error: 'invalid_grant', error_description: 'The authorization code has expired', hint: 'Codes are valid for 60 seconds' });
  });

  it('keeps the internal detail out of the JSON body', () => {
    const error = invalidClient('The client_secret does not match', { detail: 'stored hash hmac-sha256$…' });
    expect(JSON.stringify(error)).not.toContain('hmac');
    expect(error.detail).toBe('stored hash hmac-sha256$…');
  });

  it('derives the HTTP status from the code as SPEC §5 and RFC 6750 §3.1 say', () => {
    const expected: Array<[OAuthErrorCode, number]> = [
      ['invalid_request', 400],
      ['invalid_grant', 400],
      ['unsupported_grant_type', 400],
      ['invalid_scope', 400],
      ['invalid_client', 401],
      ['invalid_token', 401],
      ['insufficient_scope', 403],
      ['too_many_requests', 429],
      ['server_error', 500],
      ['temporarily_unavailable', 503],
    ];
    for (const [code, status] of expected) expect([code, statusOf(code)]).toEqual([code, status]);
  });

  it('lets the caller override the status and add response headers', () => {
    const error = new OAuthError('invalid_request', 'too big', { status: 413, headers: { 'Retry-After': '1' } });
    expect(error.status).toBe(413);
    expect(error.headers).toEqual({ 'Retry-After': '1' });
  });

  it('is an Error whose message names the code and the hint', () => {
    const error = invalidRequest('Check the `code` parameter');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('invalid_request: Check the `code` parameter');
  });
});
