import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { OAuthError } from '../../../oauth/errors.js';
import { safeEqual, sha256 } from '../../../shared/random.js';
import type { GuessThrottle } from '../../../shared/guess-throttle.js';
import { checkAdmin, guessingAddress, throwIfGuessing } from '../../control/guard.js';

/** The browser's proof that it was given ADMIN_TOKEN (SPEC §2), for the console's pages only. */
export const ADMIN_COOKIE = 'askara_console';

/**
 * What the cookie holds: an HMAC keyed by ADMIN_TOKEN, not the token itself, so a copied cookie
 * opens the console but is no bearer token for the control API. It changes when ADMIN_TOKEN does.
 */
function cookieValue(adminToken: string): string {
  return createHmac('sha256', adminToken).update('askara-emulator console cookie').digest('base64url');
}

/** Whether `typed` is ADMIN_TOKEN, in constant time whatever the lengths (digests are compared). */
export function isAdminToken(typed: string, adminToken: string): boolean {
  return safeEqual(sha256(typed), sha256(adminToken));
}

/**
 * The console's guard, the control API's (SPEC §2) plus a cookie: with ADMIN_TOKEN set, the cookie
 * set by the "Admin token" form or an `Authorization: Bearer` header is required; without it,
 * loopback only. Throws the control API's OAuthError (401 or 403) when refused.
 */
export function checkConsoleAccess(request: FastifyRequest, adminToken: string | undefined, guesses: GuessThrottle): void {
  const cookie = request.cookies[ADMIN_COOKIE];
  if (adminToken !== undefined && cookie !== undefined && request.headers.authorization === undefined) {
    const address = guessingAddress(request);
    throwIfGuessing(guesses, address);
    if (safeEqual(sha256(cookie), sha256(cookieValue(adminToken)))) return;
    guesses.recordFailure({ address });
    throw new OAuthError('invalid_token', 'The console cookie does not match ADMIN_TOKEN (was it changed?)');
  }
  checkAdmin(request, adminToken, guesses);
}

function cookieOptions(context: AppContext) {
  return { path: '/console', httpOnly: true, sameSite: 'strict' as const, secure: context.runtime.issuer.startsWith('https:') };
}

export function rememberAdmin(reply: FastifyReply, context: AppContext, adminToken: string): void {
  reply.setCookie(ADMIN_COOKIE, cookieValue(adminToken), cookieOptions(context));
}

export function forgetAdmin(reply: FastifyReply, context: AppContext): void {
  reply.clearCookie(ADMIN_COOKIE, cookieOptions(context));
}
