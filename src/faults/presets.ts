import type { RateLimitSetting } from '../config.js';
import { OAuthError } from '../oauth/errors.js';
import { ASKARA_RATE_LIMIT, emptyBucketError } from '../oauth/rate-limit.js';
import type { FaultPreset } from './fault-spec.js';

/**
 * The answer of a preset fault, as the OAuthError the request ends with (its status, headers and
 * JSON body are the response). `rate_limited` is the 429 of an empty rate-limit bucket (SPEC §7),
 * with RATE_LIMIT's numbers (Askara's 5000/500/900 when RATE_LIMIT=off) and the reset one refill
 * period from now on the emulator clock.
 */
export function presetError(preset: FaultPreset, options: { rateLimit: RateLimitSetting | null; now: number; faultId: string }): OAuthError {
  const injected = `fault ${options.faultId} injected through /_emulator/faults`;
  switch (preset) {
    case 'rate_limited':
      // exactly the answer of an empty bucket (SPEC §8), from the same function the limiter uses
      return emptyBucketError(options.rateLimit ?? ASKARA_RATE_LIMIT, options.now);
    case 'server_error':
      return new OAuthError('server_error', `The server failed [${injected}]`);
    case 'unavailable':
      return new OAuthError('temporarily_unavailable', `The server is temporarily unavailable [${injected}]`);
  }
}
