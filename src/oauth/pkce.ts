import { createHash } from 'node:crypto';
import { safeEqual } from '../shared/random.js';
import { invalidGrant, invalidRequest } from './errors.js';

// RFC 7636 §4.1: code-verifier = 43*128unreserved
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// RFC 7636 §4.2: the S256 challenge is BASE64URL(SHA256(verifier)): 43 characters, no padding
const S256_CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

/** Checks code_challenge and code_challenge_method on /authorize. Only S256 is offered (SPEC §6.6). */
export function validateChallenge(challenge: string | undefined, method: string | undefined): void {
  if (challenge === undefined) {
    if (method !== undefined) throw invalidRequest('code_challenge_method was sent without code_challenge');
    return;
  }
  if (method === undefined) {
    // RFC 7636 §4.3 defaults to "plain", which this server does not accept
    throw invalidRequest('Check the `code_challenge_method` parameter: it is missing, so RFC 7636 means "plain", which is not supported; send S256');
  }
  if (method !== 'S256') {
    throw invalidRequest(`code_challenge_method \`${method}\` is not supported; use S256 (the plain method is refused, RFC 9700 §2.1.1)`);
  }
  if (!S256_CHALLENGE.test(challenge)) {
    throw invalidRequest('code_challenge must be BASE64URL(SHA256(code_verifier)) without padding: 43 characters of A-Z a-z 0-9 - _');
  }
}

/** RFC 7636 §4.6: verifies the code_verifier of a token request against the stored challenge. */
export function verifyCodeVerifier(verifier: string | undefined, challenge: string | null): void {
  if (challenge === null) {
    // RFC 9700 §2.1.1: a code_verifier for a code issued without a challenge is a downgrade attempt
    if (verifier !== undefined) throw invalidGrant('code_verifier was sent, but the authorization request had no code_challenge');
    return;
  }
  if (verifier === undefined) {
    throw invalidRequest('Check the `code_verifier` parameter: it is missing, and the authorization request had a code_challenge');
  }
  if (!VERIFIER.test(verifier)) {
    throw invalidRequest('code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)');
  }
  const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  if (!safeEqual(computed, challenge)) {
    throw invalidGrant('code_verifier does not match the code_challenge of the authorization request (BASE64URL(SHA256(code_verifier)) differs)');
  }
}
