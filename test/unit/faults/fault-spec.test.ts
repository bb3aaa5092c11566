import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../src/faults/fault-spec.js';
import { OAuthError } from '../../../src/oauth/errors.js';

function hintOf(body: unknown): string {
  try {
    parseFaultSpec(body);
  } catch (e) {
    if (e instanceof OAuthError && e.code === 'invalid_request') return e.hint;
    throw e;
  }
  throw new Error('accepted');
}

describe('parseFaultSpec', () => {
  it('fills the defaults: any method, times 1, no delay, no headers', () => {
    expect(parseFaultSpec({ path: '/oauth2/token', status: 503 })).toEqual({
      method: null,
      path: '/oauth2/token',
      preset: null,
      status: 503,
      body: undefined,
      headers: {},
      delayMs: 0,
      times: 1,
    });
  });

  it('upper-cases the method and keeps any JSON body, null included', () => {
    expect(parseFaultSpec({ method: 'post', status: 500, body: null })).toMatchObject({ method: 'POST', body: null });
    expect(parseFaultSpec({ status: 500, body: [1, 'two'] }).body).toEqual([1, 'two']);
  });

  it('accepts a preset with a delay, and a delay alone', () => {
    expect(parseFaultSpec({ preset: 'unavailable', delayMs: 250, times: 10_000 })).toMatchObject({ preset: 'unavailable', delayMs: 250, times: 10_000 });
    expect(parseFaultSpec({ delayMs: 1 })).toMatchObject({ status: null, preset: null, delayMs: 1 });
  });

  it.each([
    [[], 'Send a JSON object such as {"path": "/oauth2/token", "status": 503, "times": 1} or {"preset": "rate_limited"}'],
    [{ status: 503, time: 2 }, 'Unknown field `time`; a fault takes: method, path, preset, status, body, headers, delayMs, times'],
    [{ path: '/x' }, 'Give `status` (the answer), `preset`, or `delayMs` of at least 1 (to delay the real answer)'],
    [{ status: 99 }, '`status` must be a whole number from 200 to 599 (the HTTP status to answer); received 99'],
    [{ status: 101 }, '`status` must be a whole number from 200 to 599 (the HTTP status to answer); received 101'],
    [{ status: '503' }, '`status` must be a whole number from 200 to 599 (the HTTP status to answer); received "503"'],
    [{ delayMs: 60_001 }, '`delayMs` must be a whole number from 0 to 60000 (milliseconds to wait before answering); received 60001'],
    [{ status: 500, times: 0 }, '`times` must be a whole number from 1 to 10000 (how many matching requests get the fault); received 0'],
    [{ status: 500, times: 1.5 }, '`times` must be a whole number from 1 to 10000 (how many matching requests get the fault); received 1.5'],
    [{ status: 500, method: 'GET POST' }, '`method` must be an HTTP method such as "POST" (or left out for any method); received "GET POST"'],
    [{ status: 500, path: 'oauth2/token' }, '`path` must be a request path such as "/oauth2/token", starting with "/" and without a query string; received "oauth2/token"'],
    [{ status: 500, path: '/me?x=1' }, '`path` must be a request path such as "/oauth2/token", starting with "/" and without a query string; received "/me?x=1"'],
    [{ status: 500, path: '/_emulator/faults' }, '`path` /_emulator/faults is under /_emulator/: the control API and the console cannot be faulted, since they are how faults are removed'],
    [{ status: 500, path: '/console/faults' }, '`path` /console/faults is under /console/: the control API and the console cannot be faulted, since they are how faults are removed'],
    [{ status: 500, headers: ['a'] }, '`headers` must be a JSON object of header names to string values, such as {"Retry-After": "30"}'],
    [{ status: 500, headers: { 'Retry-After': 30 } }, 'The value of header `Retry-After` must be a string of at most 8192 characters without line breaks; received 30'],
    [{ status: 500, headers: { 'x-a': 'b\r\nSet-Cookie: x' } }, 'The value of header `x-a` must be a string of at most 8192 characters without line breaks; received "b\\r\\nSet-Cookie: x"'],
    [{ status: 500, headers: { 'bad name': 'x' } }, 'The header name "bad name" is not a valid HTTP field name (RFC 9110 §5.1)'],
    [{ status: 500, headers: { 'Content-Length': '3' } }, 'The header `Content-Length` cannot be faulted: the server sets it from the body and the connection'],
    [{ preset: 'slow' }, '`preset` must be one of rate_limited, server_error, unavailable; received "slow"'],
    [{ preset: 'rate_limited', status: 500 }, '`preset` sets the answer itself; remove status or give no preset'],
    [{ body: { a: 1 }, delayMs: 10 }, '`body` and `headers` need a `status` to answer with'],
  ])('refuses %j with a precise hint', (body, hint) => {
    expect(hintOf(body)).toBe(hint);
  });
});
