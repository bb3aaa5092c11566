import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimitSetting } from '../../config.js';
import { emptyBucketError, rateLimitHeaders } from '../../oauth/rate-limit.js';
import type { AppContext } from '../../context.js';
import { TokenBuckets, type BucketRule, type TakeResult } from '../../shared/token-bucket.js';

function ruleOf(setting: RateLimitSetting): BucketRule {
  return { capacity: setting.capacity, refillAmount: setting.refillAmount, refillPeriodMs: setting.refillPeriodSeconds * 1000 };
}

/** The same answer as a plain status, headers and body, for code that replies without throwing. */
export function emptyBucketAnswer(setting: RateLimitSetting, now: number, options: { resetAt?: number; subject?: string } = {}) {
  const error = emptyBucketError(setting, now, options);
  return { status: error.status, headers: { ...error.headers, 'cache-control': 'no-store', pragma: 'no-cache' }, body: error.toJSON() };
}

/** The client a request names, unverified: only used to pick a bucket. */
function claimedClientId(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization ?? '';
  const bearer = /^Bearer +([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\./i.exec(authorization);
  try {
    if (bearer?.[2]) return (JSON.parse(Buffer.from(bearer[2], 'base64url').toString('utf8')) as { client_id?: unknown }).client_id as string;
    if (/^Basic /i.test(authorization)) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      return decodeURIComponent(decoded.slice(0, Math.max(0, decoded.indexOf(':'))).replace(/\+/g, ' '));
    }
  } catch {
    return undefined;
  }
  const body = request.body as { client_id?: unknown } | undefined;
  return body && typeof body === 'object' && typeof body.client_id === 'string' ? body.client_id : undefined;
}

/*
 * Not @fastify/rate-limit: its stores count fixed windows on the system time (no refilling bucket, no
 * emulator clock), and its x-ratelimit-reset is a delta in seconds where Askara sends Unix
 * seconds. Bending it (a custom store faking a bucket as a counter, its reset header switched off
 * and recomputed outside) would leave the plugin a shell around this bucket anyway.
 */

/**
 * Askara's rate limiting (SPEC §7): a token bucket per client, refilled on the emulator clock, with
 * the x-ratelimit-* headers on every response of the routes registered after it in its scope.
 * The bucket is the client's (from the bearer token or the client authentication) when that
 * names a registered client, else the caller's address.
 */
export const rateLimit = fp(
  async (app: FastifyInstance, { context }: { context: AppContext }) => {
    const setting = context.config.rateLimit;
    if (!setting) return;
    const buckets = new TokenBuckets(ruleOf(setting));
    context.onReset.push(() => buckets.clear());

    const keyOf = (request: FastifyRequest): { key: string; subject: string } => {
      const id = claimedClientId(request);
      if (typeof id === 'string' && id.length <= 200 && context.repos.clients.find(id)) return { key: `client:${id}`, subject: `Client \`${id}\`` };
      return { key: `address:${request.ip}`, subject: `This address (${request.ip}, no registered client named)` };
    };
    const count = (request: FastifyRequest, reply: FastifyReply): TakeResult & { subject: string } => {
      const { key, subject } = keyOf(request);
      const result = buckets.take(key, context.clock.now());
      reply.headers(rateLimitHeaders(setting, result.remaining, result.resetAt));
      return { ...result, subject };
    };

    // after the body is parsed (a client_id may be in it), before anything else
    app.addHook('preValidation', async (request, reply) => {
      const result = count(request, reply);
      if (!result.allowed) throw emptyBucketError(setting, context.clock.now(), { resetAt: result.resetAt, subject: result.subject });
    });
    // requests refused before preValidation (an unreadable body) count too, and carry the headers
    app.addHook('onSend', async (request, reply, payload) => {
      if (!reply.hasHeader('x-ratelimit-limit')) count(request, reply);
      return payload;
    });
  },
  { name: 'rate-limit' },
);
