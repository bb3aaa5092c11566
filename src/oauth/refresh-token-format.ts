import { randomText, sha256 } from '../shared/random.js';
import type { RefreshTokenRecord, TokenRepository } from './ports.js';

/** league's marker, then the issue time in 12 hex digits, then 980 random hex digits. */
const MARKER = 'def50200';
const TIMED = new RegExp(`^${MARKER}([0-9a-f]{12})`);

/**
 * A refresh token shaped like production's (SPEC §4): lowercase hex after league's `def50200`
 * marker, 1,000 characters, so a client that stores it in a short column fails here first. The
 * first 12 digits after the marker are `now` (milliseconds), the other 980 random (490 bytes).
 */
export function refreshTokenValue(now: number): string {
  const time = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
  return `${MARKER}${time}${randomText(490, 'hex')}`;
}

/**
 * The key a refresh token is stored under (`token_hash`); the value itself is never stored. It is
 * the token's issue time as the token carries it, then the SHA-256 of the whole value: keys sort by
 * issue time, so a new token is appended to the index instead of dirtying a random page of it in
 * every commit (bench/README.md). The time is no secret (it is the access token's `iat` too); the
 * 490 random bytes of the value are.
 */
export function refreshTokenKey(value: string): string {
  const time = TIMED.exec(value)?.[1] ?? '';
  return `${time}${sha256(value)}`;
}

/**
 * The refresh token stored for `value`, in any state. Tokens issued before keys carried the time
 * are stored under the bare SHA-256 and are still found, so an upgrade loses no token.
 */
export function findRefreshTokenByValue(tokens: Pick<TokenRepository, 'findRefreshToken'>, value: string): RefreshTokenRecord | undefined {
  const key = refreshTokenKey(value);
  const found = tokens.findRefreshToken(key);
  if (found || key.length === 64) return found;
  return tokens.findRefreshToken(key.slice(12));
}
