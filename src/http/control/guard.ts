import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { OAuthError } from '../../oauth/errors.js';
import type { GuessThrottle } from '../../shared/guess-throttle.js';
import { safeEqual, sha256 } from '../../shared/random.js';

/** Whether an address is this machine's loopback (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1';
}

/**
 * The address wrong admin tokens are counted under: the socket's peer, never a forwarding header
 * a guesser could vary.
 */
export function guessingAddress(request: FastifyRequest): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * ASVS 2.2.1 (anti-automation): after ADMIN_GUESS_LIMITS wrong admin tokens from one address, that
 * address is refused, right token or not, until the window has passed (emulator clock).
 */
export function throwIfGuessing(guesses: GuessThrottle, address: string): void {
  const wait = guesses.retryAfterSeconds({ address });
  if (wait > 0) {
    throw new OAuthError('too_many_requests', `Too many wrong admin tokens from this address; retry after ${wait} seconds`, {
      headers: { 'retry-after': String(wait) },
    });
  }
}

/**
 * The guard of the control API and console (SPEC §2): with ADMIN_TOKEN set, a matching
 * `Authorization: Bearer` header is required from everyone; without it, only loopback clients
 * are answered. Wrong tokens count towards `guesses`.
 */
export function checkAdmin(request: FastifyRequest, adminToken: string | undefined, guesses: GuessThrottle): void {
  if (adminToken !== undefined) {
    const address = guessingAddress(request);
    throwIfGuessing(guesses, address);
    const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!m?.[1]) {
      throw new OAuthError('invalid_token', 'The control API needs `Authorization: Bearer <ADMIN_TOKEN>` (ADMIN_TOKEN is set on this emulator)', {
        description: 'Authentication is required.',
        headers: { 'WWW-Authenticate': 'Bearer realm="askara-emulator-control"' },
      });
    }
    // compare digests: constant time, whatever the lengths
    if (!safeEqual(sha256(m[1]), sha256(adminToken))) {
      guesses.recordFailure({ address });
      throw new OAuthError('invalid_token', 'The bearer token does not match ADMIN_TOKEN', {
        headers: { 'WWW-Authenticate': 'Bearer realm="askara-emulator-control", error="invalid_token"' },
      });
    }
    return;
  }
  if (!isLoopback(request.socket.remoteAddress)) {
    throw new OAuthError('access_denied', 'The control API answers only loopback clients when ADMIN_TOKEN is not set; set ADMIN_TOKEN to use it from elsewhere', {
      status: 403,
    });
  }
}
