import type { RateLimitSetting } from '../config.js';
import { OAuthError } from '../oauth/errors.js';
import { epochSeconds } from '../shared/clock.js';
import type { FaultPreset } from './fault-spec.js';

/** Askara's documented bucket (reference notes §7), for the preset when RATE_LIMIT=off. */
const ASKARA_BUCKET: RateLimitSetting = { capacity: 5000, refillAmount: 500, refillPeriodSeconds: 900 };

/**
 * The answer of a preset fault, as the OAuthError the request ends with (its status, headers and
 * JSON body are the response). `rate_limited` mirrors the 429 of an empty rate-limit bucket
 * (SPEC §7): the same status, `Retry-After`, `x-ratelimit-*` headers with `remaining: 0` and a
 * `reset` one refill period from now on the emulator clock, and the OAuth-style JSON error.
 */
export function presetError(preset: FaultPreset, options: { rateLimit: RateLimitSetting | null; now: number; faultId: string }): OAuthError {
  const injected = `fault ${options.faultId} injected through /_emulator/faults`;
  switch (preset) {
    case 'rate_limited': {
      const bucket = options.rateLimit ?? ASKARA_BUCKET;
      const retryAfter = bucket.refillPeriodSeconds;
      const reset = epochSeconds(options.now) + retryAfter;
      return new OAuthError(
        'too_many_requests',
        `The rate limit of this client is exhausted (${bucket.capacity} requests, ${bucket.refillAmount} more every ${bucket.refillPeriodSeconds} s); retry after ${retryAfter} seconds [${injected}]`,
        {
          headers: {
            'Retry-After': String(retryAfter),
            'x-ratelimit-limit': String(bucket.capacity),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(reset),
          },
        },
      );
    }
    case 'server_error':
      return new OAuthError('server_error', `The server failed [${injected}]`);
    case 'unavailable':
      return new OAuthError('temporarily_unavailable', `The server is temporarily unavailable [${injected}]`);
  }
}
