import type { RateLimitSetting } from '../config.js';
import { OAuthError } from './errors.js';

/** RATE_LIMIT's default, Askara's standard limits: 5000 requests, 500 more every 15 minutes. */
export const ASKARA_RATE_LIMIT: RateLimitSetting = { capacity: 5000, refillAmount: 500, refillPeriodSeconds: 900 };

/** Askara's headers (reference notes §7); the reset is Unix seconds of the next refill. */
export function rateLimitHeaders(setting: RateLimitSetting, remaining: number, resetAt: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(setting.capacity),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)),
  };
}

/**
 * The answer of an empty bucket: 429 (RFC 6585 §4) with Retry-After, the rate-limit headers and
 * the JSON error of SPEC §5. Exported so the `rate_limited` fault preset (SPEC §8) answers the
 * same; without `resetAt`, the next refill is one period from `now`.
 */
export function emptyBucketError(setting: RateLimitSetting, now: number, options: { resetAt?: number; subject?: string } = {}): OAuthError {
  const resetAt = options.resetAt ?? now + setting.refillPeriodSeconds * 1000;
  const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
  const { capacity, refillAmount, refillPeriodSeconds } = setting;
  return new OAuthError(
    'too_many_requests',
    `${options.subject ?? 'This client'} has used all ${capacity} requests of its rate limit (RATE_LIMIT=${capacity}/${refillAmount}/${refillPeriodSeconds}: ${refillAmount} more every ${refillPeriodSeconds} seconds); retry after ${retryAfter} seconds`,
    { headers: { ...rateLimitHeaders(setting, 0, resetAt), 'retry-after': String(retryAfter) } },
  );
}
