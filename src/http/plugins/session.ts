import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../../context.js';
import type { User } from '../../oauth/ports.js';
import { randomId, sha256 } from '../../shared/random.js';

export const SESSION_COOKIE = 'askara_session';
/** A random key per browser, to which authorization requests (interactions) are bound. */
export const BROWSER_COOKIE = 'askara_browser';
/** How long a browser stays logged in, on the emulator clock. */
export const SESSION_TTL_SECONDS = 12 * 3600;

function cookieOptions(context: AppContext) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: context.runtime.issuer.startsWith('https:'),
  };
}

/**
 * Browser sessions and CSRF tokens for the pages (SPEC §6.1): the session cookie is random and
 * HttpOnly, SameSite=Lax, Secure under https, and stored only as its SHA-256; every form carries a
 * token checked by @fastify/csrf-protection against a secret in its own cookie.
 */
export const sessions = fp(
  async (app: FastifyInstance, { context }: { context: AppContext }) => {
    await app.register(cookie);
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'askara_csrf',
      cookieOpts: { ...cookieOptions(context), sameSite: 'lax' },
    });
  },
  { name: 'sessions' },
);

/** The logged-in user of this browser, if any. */
export function currentUser(request: FastifyRequest, context: AppContext): User | undefined {
  const id = request.cookies[SESSION_COOKIE];
  if (!id || id.length > 100) return undefined;
  const userUuid = context.repos.sessions.findUser(sha256(id), context.clock.now());
  return userUuid ? context.repos.users.findByUuid(userUuid) : undefined;
}

/** Logs the browser in as `user` (a new session id, so a planted cookie is never upgraded). */
export function startSession(reply: FastifyReply, user: User, context: AppContext): void {
  const id = randomId(32);
  const now = context.clock.now();
  context.repos.sessions.create({ idHash: sha256(id), userUuid: user.uuid, createdAt: now, expiresAt: now + SESSION_TTL_SECONDS * 1000 });
  reply.setCookie(SESSION_COOKIE, id, { ...cookieOptions(context), maxAge: SESSION_TTL_SECONDS });
}

export function endSession(request: FastifyRequest, reply: FastifyReply, context: AppContext): void {
  const id = request.cookies[SESSION_COOKIE];
  if (id) context.repos.sessions.delete(sha256(id));
  reply.clearCookie(SESSION_COOKIE, cookieOptions(context));
}

/** This browser's binding key, if it has one (see `browserKey`). */
export function existingBrowserKey(request: FastifyRequest): string | undefined {
  const key = request.cookies[BROWSER_COOKIE];
  return key && /^[\w-]{43}$/.test(key) ? key : undefined;
}

/**
 * This browser's binding key, created (HttpOnly, for the life of the browser) if it has none:
 * an interaction started at /authorize is bound to it, so only this browser can finish it.
 */
export function browserKey(request: FastifyRequest, reply: FastifyReply, context: AppContext): string {
  const existing = existingBrowserKey(request);
  if (existing) return existing;
  const key = randomId(32);
  reply.setCookie(BROWSER_COOKIE, key, cookieOptions(context));
  return key;
}
