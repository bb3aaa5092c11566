import { createHash, createHmac, randomBytes, randomFillSync, randomInt, timingSafeEqual } from 'node:crypto';

/*
 * Random bytes are drawn from a block refilled from the CSPRNG 8 KiB at a time, as node's own
 * randomUUID does: one randomFillSync call per block instead of one per identifier, which cost
 * 1.7 µs each and two or three times per token request (bench/README.md). Every byte is handed out
 * once; requests over 1 KiB go to the CSPRNG directly.
 */
const BLOCK = Buffer.alloc(8 * 1024);
const FROM_BLOCK_AT_MOST = 1024;
let used = BLOCK.length;

/** `bytes` fresh random bytes, as text in `encoding`. */
export function randomText(bytes: number, encoding: 'base64url' | 'hex'): string {
  if (bytes > FROM_BLOCK_AT_MOST) return randomBytes(bytes).toString(encoding);
  if (used + bytes > BLOCK.length) {
    randomFillSync(BLOCK);
    used = 0;
  }
  const text = BLOCK.toString(encoding, used, used + bytes);
  used += bytes;
  return text;
}

/** A URL-safe random identifier with `bytes` bytes of entropy. */
export function randomId(bytes = 32): string {
  return randomText(bytes, 'base64url');
}

/**
 * An identifier that sorts by creation time: the millisecond time `now` in fixed-width base 36,
 * then `bytes` random bytes. Rows keyed by it are appended at the right edge of their index, so
 * the writes of a group commit share one index page instead of dirtying one random page each
 * (bench/README.md). It is unique by its random part; it says no more than the token's `iat`.
 */
export function timeOrderedId(now: number, bytes = 16): string {
  return Math.max(0, Math.floor(now)).toString(36).padStart(9, '0') + randomText(bytes, 'base64url');
}

/** A device code (RFC 8628 §3.2) shaped like league's: 80 lowercase hex characters. */
export function deviceCodeValue(): string {
  return randomText(40, 'hex');
}

/** Consonants only (RFC 8628 §6.1): no vowels, so no words, and no look-alike digits. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export function userCodeValue(length = 8): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** SHA-256 in hex: how codes, refresh tokens, device codes and session ids are stored. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time equality of two strings (equal length is not a secret here: they are digests). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * Client secrets are machine-made bearer credentials, not human passwords: a salted HMAC-SHA-256
 * keeps them unreadable at rest and costs microseconds to check (an argon2 verify per token
 * request would cap the token endpoint near 90 requests/s). Passwords use argon2id.
 */
export function hashClientSecret(secret: string): string {
  const salt = randomText(16, 'base64url');
  return `hmac-sha256$${salt}$${createHmac('sha256', salt).update(secret, 'utf8').digest('base64url')}`;
}

export function verifyClientSecret(secret: string, stored: string): boolean {
  const [scheme, salt, digest] = stored.split('$');
  if (scheme !== 'hmac-sha256' || !salt || !digest) return false;
  return safeEqual(createHmac('sha256', salt).update(secret, 'utf8').digest('base64url'), digest);
}
