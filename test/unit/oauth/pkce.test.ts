import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/oauth/errors.js';
import { validateChallenge, verifyCodeVerifier } from '../../../src/oauth/pkce.js';

function errorOf(fn: () => unknown): { error: string; hint: string } | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof OAuthError) return { error: e.code, hint: e.hint };
    throw e;
  }
  return undefined;
}

// RFC 7636 Appendix B
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('validateChallenge (authorization request, RFC 7636 §4.3)', () => {
  it('accepts an S256 challenge of 43 base64url characters', () => {
    expect(errorOf(() => validateChallenge(CHALLENGE, 'S256'))).toBeUndefined();
  });

  it('accepts no PKCE at all', () => {
    expect(errorOf(() => validateChallenge(undefined, undefined))).toBeUndefined();
  });

  it('refuses the plain method, pointing at S256', () => {
    expect(errorOf(() => validateChallenge(VERIFIER, 'plain'))).toEqual({
      error: 'invalid_request',
      hint: 'code_challenge_method `plain` is not supported; use S256 (the plain method is refused, RFC 9700 §2.1.1)',
    });
  });

  it('refuses a challenge without a method, since RFC 7636 would then mean plain', () => {
    expect(errorOf(() => validateChallenge(CHALLENGE, undefined))).toEqual({
      error: 'invalid_request',
      hint: 'Check the `code_challenge_method` parameter: it is missing, so RFC 7636 means "plain", which is not supported; send S256',
    });
  });

  it('refuses a method without a challenge', () => {
    expect(errorOf(() => validateChallenge(undefined, 'S256'))).toEqual({
      error: 'invalid_request',
      hint: 'code_challenge_method was sent without code_challenge',
    });
  });

  it('refuses a challenge that cannot be a SHA-256 digest in base64url', () => {
    const expected = {
      error: 'invalid_request',
      hint: 'code_challenge must be BASE64URL(SHA256(code_verifier)) without padding: 43 characters of A-Z a-z 0-9 - _',
    };
    expect(errorOf(() => validateChallenge('short', 'S256'))).toEqual(expected);
    expect(errorOf(() => validateChallenge(`${CHALLENGE}=`, 'S256'))).toEqual(expected);
    expect(errorOf(() => validateChallenge(CHALLENGE.replace('-', '+'), 'S256'))).toEqual(expected);
  });
});

describe('verifyCodeVerifier (token request, RFC 7636 §4.6)', () => {
  it('accepts the verifier whose S256 digest is the challenge', () => {
    expect(createHash('sha256').update(VERIFIER).digest('base64url')).toBe(CHALLENGE);
    expect(errorOf(() => verifyCodeVerifier(VERIFIER, CHALLENGE))).toBeUndefined();
  });

  it('refuses a wrong verifier with invalid_grant', () => {
    expect(errorOf(() => verifyCodeVerifier('x'.repeat(43), CHALLENGE))).toEqual({
      error: 'invalid_grant',
      hint: 'code_verifier does not match the code_challenge of the authorization request (BASE64URL(SHA256(code_verifier)) differs)',
    });
  });

  it('refuses a missing verifier when the request had a challenge', () => {
    expect(errorOf(() => verifyCodeVerifier(undefined, CHALLENGE))).toEqual({
      error: 'invalid_request',
      hint: 'Check the `code_verifier` parameter: it is missing, and the authorization request had a code_challenge',
    });
  });

  it('refuses a verifier that is too short, too long or has other characters', () => {
    const expected = { error: 'invalid_request', hint: 'code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)' };
    expect(errorOf(() => verifyCodeVerifier('a'.repeat(42), CHALLENGE))).toEqual(expected);
    expect(errorOf(() => verifyCodeVerifier('a'.repeat(129), CHALLENGE))).toEqual(expected);
    expect(errorOf(() => verifyCodeVerifier(`${'a'.repeat(42)}+`, CHALLENGE))).toEqual(expected);
  });

  it('refuses a verifier for a code issued without a challenge (downgrade, RFC 9700 §2.1.1)', () => {
    expect(errorOf(() => verifyCodeVerifier(VERIFIER, null))).toEqual({
      error: 'invalid_grant',
      hint: 'code_verifier was sent, but the authorization request had no code_challenge',
    });
  });

  it('needs nothing when neither a challenge nor a verifier is involved', () => {
    expect(errorOf(() => verifyCodeVerifier(undefined, null))).toBeUndefined();
  });
});
