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
/** The secret behind the CSRF tokens of the forms (@fastify/csrf-protection). */
export const CSRF_COOKIE = 'askara_csrf';
/** How long a browser stays logged in, on the emulator clock. */
export const SESSION_TTL_SECONDS = 12 * 3600;

const isHttps = (context: AppContext) => context.runtime.issuer.startsWith('https:');

function cookieOptions(context: AppContext) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: isHttps(context),
  };
}

/**
 * A cookie's name: under https with the `__Host-` prefix (OWASP ASVS 3.4.4), which browsers accept
 * only Secure, on Path=/ and without Domain, so that no sibling subdomain can plant or shadow it.
 */
export function cookieName(name: string, context: AppContext): string {
  return isHttps(context) ? `__Host-${name}` : name;
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
      cookieKey: cookieName(CSRF_COOKIE, context),
      cookieOpts: { ...cookieOptions(context), sameSite: 'lax' },
    });
  },
  { name: 'sessions' },
);

/** The logged-in user of this browser, if any. */
export function currentUser(request: FastifyRequest, context: AppContext): User | undefined {
  const id = request.cookies[cookieName(SESSION_COOKIE, context)];
  if (!id || id.length > 100) return undefined;
  const userUuid = context.repos.sessions.findUser(sha256(id), context.clock.now());
  return userUuid ? context.repos.users.findByUuid(userUuid) : undefined;
}

/**
 * Logs the browser in as `user` with a new session id (ASVS 3.2.1), so a planted cookie is never
 * upgraded; the browser's previous session, if any, ends.
 */
export function startSession(request: FastifyRequest, reply: FastifyReply, user: User, context: AppContext): void {
  const previous = request.cookies[cookieName(SESSION_COOKIE, context)];
  if (previous) context.repos.sessions.delete(sha256(previous));
  const id = randomId(32);
  const now = context.clock.now();
  context.repos.sessions.create({ idHash: sha256(id), userUuid: user.uuid, createdAt: now, expiresAt: now + SESSION_TTL_SECONDS * 1000 });
  reply.setCookie(cookieName(SESSION_COOKIE, context), id, { ...cookieOptions(context), maxAge: SESSION_TTL_SECONDS });
}

export function endSession(request: FastifyRequest, reply: FastifyReply, context: AppContext): void {
  const id = request.cookies[cookieName(SESSION_COOKIE, context)];
  if (id) context.repos.sessions.delete(sha256(id));
  reply.clearCookie(cookieName(SESSION_COOKIE, context), cookieOptions(context));
}

/** This browser's binding key, if it has one (see `browserKey`). */
export function existingBrowserKey(request: FastifyRequest, context: AppContext): string | undefined {
  const key = request.cookies[cookieName(BROWSER_COOKIE, context)];
  return key && /^[\w-]{43}$/.test(key) ? key : undefined;
}

/**
 * This browser's binding key, created (HttpOnly, for the life of the browser) if it has none:
 * an interaction started at /authorize is bound to it, so only this browser can finish it.
 */
export function browserKey(request: FastifyRequest, reply: FastifyReply, context: AppContext): string {
  const existing = existingBrowserKey(request, context);
  if (existing) return existing;
  const key = randomId(32);
  reply.setCookie(cookieName(BROWSER_COOKIE, context), key, cookieOptions(context));
  return key;
}
