import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/oauth/errors.js';
import { JSON_BODY, Params } from '../../../src/oauth/request-parameters.js';

function hintOf(fn: () => unknown): { error: string; hint: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof OAuthError) return { error: e.code, hint: e.hint };
    throw e;
  }
  throw new Error('expected an OAuthError');
}

describe('Params', () => {
  it('reads string values from a JSON object or a parsed form alike', () => {
    expect(Params.from({ grant_type: 'authorization_code' }).get('grant_type')).toBe('authorization_code');
  });

  it('treats an absent body (undefined, null, empty string) as no parameters', () => {
    for (const body of [undefined, null, '']) expect(Params.from(body).get('grant_type')).toBeUndefined();
  });

  it('refuses a JSON array body, naming what was received', () => {
    expect(hintOf(() => Params.from([1, 2]))).toEqual({
      error: 'invalid_request',
      hint: 'The request body must be a JSON object or a form; received a JSON array',
    });
  });

  it('refuses a JSON scalar body, naming its type', () => {
    expect(hintOf(() => Params.from(42)).hint).toBe('The request body must be a JSON object or a form; received a JSON number');
    expect(hintOf(() => Params.from('text')).hint).toBe('The request body must be a JSON object or a form; received a JSON string');
  });

  it('treats an empty value as omitted (RFC 6749 §3.1)', () => {
    const params = Params.from({ scope: '', state: null });
    expect(params.get('scope')).toBeUndefined();
    expect(params.get('state')).toBeUndefined();
    expect(params.has('scope')).toBe(false);
  });

  it('refuses a parameter sent more than once, naming it and the count (RFC 6749 §3.1)', () => {
    expect(hintOf(() => Params.from({ code: ['a', 'b', 'c'] }).get('code'))).toEqual({
      error: 'invalid_request',
      hint: 'The `code` parameter was sent 3 times; send it once',
    });
  });

  it('calls an array in a JSON body an array, not a duplicate', () => {
    const body = Object.assign({ code: ['a', 'b'] }, { [JSON_BODY]: true });
    expect(hintOf(() => Params.from(body).get('code')).hint).toBe('The `code` parameter must be a string; received a JSON array');
  });

  it('refuses a non-string JSON value, naming the parameter and the type', () => {
    expect(hintOf(() => Params.from({ code: 123 }).get('code')).hint).toBe('The `code` parameter must be a string; received a JSON number');
    expect(hintOf(() => Params.from({ code: { a: 1 } }).get('code')).hint).toBe('The `code` parameter must be a string; received a JSON object');
    expect(hintOf(() => Params.from({ code: true }).get('code')).hint).toBe('The `code` parameter must be a string; received a JSON boolean');
  });

  it('ignores unknown parameters, even malformed ones, unless they are read (RFC 6749 §3.2)', () => {
    const params = Params.from({ grant_type: 'refresh_token', extra: [1, 2], other: { x: 1 } });
    expect(params.get('grant_type')).toBe('refresh_token');
  });

  it('does not read inherited properties such as __proto__ or toString', () => {
    const params = Params.from(JSON.parse('{"__proto__": {"code": "x"}}'));
    expect(params.get('code')).toBeUndefined();
    expect(params.get('toString')).toBeUndefined();
  });

  it('names the missing parameter and what was expected when a required one is absent', () => {
    expect(hintOf(() => Params.from({}).require('code', 'the authorization code your redirect_uri received'))).toEqual({
      error: 'invalid_request',
      hint: 'Check the `code` parameter: it is missing; expected the authorization code your redirect_uri received',
    });
  });
});
