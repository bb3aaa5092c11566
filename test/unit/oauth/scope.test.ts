import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/oauth/errors.js';
import { covers, describeScope, formatScope, narrowScope, parseScope, resolveScope } from '../../../src/oauth/scope.js';
import { fakeClient } from '../../helpers/fake-repositories.js';

function errorOf(fn: () => unknown): { error: string; hint: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof OAuthError) return { error: e.code, hint: e.hint };
    throw e;
  }
  throw new Error('expected an OAuthError');
}

const client = fakeClient({ id: 'web', scopes: ['profile', 'organization'] });

describe('parseScope', () => {
  it('splits on spaces, drops empty tokens and duplicates', () => {
    expect(parseScope('profile  organization profile')).toEqual(['profile', 'organization']);
  });

  it('returns undefined when the parameter is absent', () => {
    expect(parseScope(undefined)).toBeUndefined();
  });

  it('refuses characters RFC 6749 §3.3 does not allow, quoting the bad token', () => {
    expect(errorOf(() => parseScope('profile "org"'))).toEqual({
      error: 'invalid_scope',
      hint: 'The scope `"org"` has characters RFC 6749 §3.3 does not allow; separate scopes with single spaces',
    });
    expect(errorOf(() => parseScope('profile\torganization')).error).toBe('invalid_scope');
    expect(errorOf(() => parseScope('a\\b')).error).toBe('invalid_scope');
  });
});

describe('resolveScope', () => {
  it("defaults to the client's registered scopes when none is requested", () => {
    expect(resolveScope(undefined, client)).toEqual(['profile', 'organization']);
    expect(resolveScope([], client)).toEqual(['profile', 'organization']);
  });

  it('grants exactly the requested scopes when the client may have them', () => {
    expect(resolveScope(['profile'], client)).toEqual(['profile']);
  });

  it('refuses an unknown scope, listing what the client may request', () => {
    expect(errorOf(() => resolveScope(['profile', 'admin'], client))).toEqual({
      error: 'invalid_scope',
      hint: 'The scope `admin` is unknown; client `web` may request: profile organization',
    });
  });

  it('refuses a known scope the client is not registered for', () => {
    const narrow = fakeClient({ id: 'narrow', scopes: ['profile'] });
    expect(errorOf(() => resolveScope(['organization'], narrow))).toEqual({
      error: 'invalid_scope',
      hint: 'The scope `organization` is not registered for this client; client `narrow` may request: profile',
    });
  });
});

describe('narrowScope', () => {
  it('keeps the original scope when none is requested', () => {
    expect(narrowScope(undefined, ['profile', 'organization'])).toEqual(['profile', 'organization']);
  });

  it('accepts a subset (RFC 6749 §6)', () => {
    expect(narrowScope(['profile'], ['profile', 'organization'])).toEqual(['profile']);
  });

  it('refuses a wider scope, naming the original and the extra scopes', () => {
    expect(errorOf(() => narrowScope(['profile', 'organization'], ['profile']))).toEqual({
      error: 'invalid_scope',
      hint: 'The refresh token was granted `profile`; `organization` cannot be added on refresh',
    });
  });
});

describe('scope helpers', () => {
  it('formats scopes space-separated and tells whether granted scopes cover a request', () => {
    expect(formatScope(['profile', 'organization'])).toBe('profile organization');
    expect(covers(['profile', 'organization'], ['organization'])).toBe(true);
    expect(covers(['profile'], ['profile', 'organization'])).toBe(false);
  });

  it('describes known scopes in plain words and unknown ones by name', () => {
    expect(describeScope('profile')).toMatch(/^Read your profile/);
    expect(describeScope('custom:x')).toBe('Access to "custom:x"');
  });
});
