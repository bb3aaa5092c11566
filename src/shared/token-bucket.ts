/**
 * A token bucket (SPEC §7, Askara's rate limiting): `capacity` tokens, `refillAmount` more every
 * `refillPeriodMs`, never above capacity. Pure: the caller keeps the state and passes the time
 * (the emulator clock), so moving the clock refills the bucket.
 */
export interface BucketRule {
  capacity: number;
  refillAmount: number;
  refillPeriodMs: number;
}

export interface BucketState {
  tokens: number;
  /** When the current refill period started; the next refill is one period later. */
  periodStart: number;
}

export interface TakeResult {
  state: BucketState;
  allowed: boolean;
  /** Tokens left after this request. */
  remaining: number;
  /** When the next refill happens (ms). */
  resetAt: number;
}

/** The state at `now`: whole periods elapsed since `periodStart` each add `refillAmount`. */
export function refill(state: BucketState, rule: BucketRule, now: number): BucketState {
  // a full bucket has no refill pending; so has one whose clock was moved back
  if (state.tokens >= rule.capacity || now < state.periodStart) return { tokens: Math.min(state.tokens, rule.capacity), periodStart: now };
  const periods = Math.floor((now - state.periodStart) / rule.refillPeriodMs);
  if (periods === 0) return state;
  const tokens = Math.min(rule.capacity, state.tokens + periods * rule.refillAmount);
  // once full, the refill clock restarts at the next request
  return { tokens, periodStart: tokens >= rule.capacity ? now : state.periodStart + periods * rule.refillPeriodMs };
}

/** Takes one token for a request at `now`, if there is one. */
export function take(previous: BucketState | undefined, rule: BucketRule, now: number): TakeResult {
  const current = previous ? refill(previous, rule, now) : { tokens: rule.capacity, periodStart: now };
  const allowed = current.tokens >= 1;
  const state = allowed ? { ...current, tokens: current.tokens - 1 } : current;
  return { state, allowed, remaining: state.tokens, resetAt: state.periodStart + rule.refillPeriodMs };
}

/**
 * Buckets by key (a client, or an address when no client is named), in memory. At most `maxKeys`
 * are kept; beyond that the oldest is forgotten (it starts full again), so a flood of distinct
 * addresses cannot grow memory without bound.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, BucketState>();

  constructor(
    readonly rule: BucketRule,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, now: number): TakeResult {
    const result = take(this.#buckets.get(key), this.rule, now);
    if (!this.#buckets.has(key) && this.#buckets.size >= this.maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    this.#buckets.set(key, result.state);
    return result;
  }

  clear(): void {
    this.#buckets.clear();
  }
}
