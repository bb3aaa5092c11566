import { describe, expect, it } from 'vitest';
import { TokenBuckets, refill, take, type BucketRule } from '../../../src/shared/token-bucket.js';

const RULE: BucketRule = { capacity: 3, refillAmount: 2, refillPeriodMs: 60_000 };
const T0 = 1_000_000;

describe('token bucket (SPEC §7)', () => {
  it('starts full and takes one token per request', () => {
    const first = take(undefined, RULE, T0);
    expect(first).toEqual({ state: { tokens: 2, periodStart: T0 }, allowed: true, remaining: 2, resetAt: T0 + 60_000 });
    const second = take(first.state, RULE, T0 + 1000);
    expect(second).toMatchObject({ allowed: true, remaining: 1, resetAt: T0 + 60_000 });
  });

  it('refuses when empty, without going negative, until the next refill', () => {
    let state = take(undefined, RULE, T0).state;
    state = take(state, RULE, T0).state;
    state = take(state, RULE, T0).state;
    const refused = take(state, RULE, T0 + 59_999);
    expect(refused).toEqual({ state: { tokens: 0, periodStart: T0 }, allowed: false, remaining: 0, resetAt: T0 + 60_000 });
    expect(take(refused.state, RULE, T0 + 60_000)).toMatchObject({ allowed: true, remaining: 1, resetAt: T0 + 120_000 });
  });

  it('adds the refill amount for every whole period elapsed, never above capacity', () => {
    expect(refill({ tokens: 0, periodStart: T0 }, RULE, T0 + 60_000)).toEqual({ tokens: 2, periodStart: T0 + 60_000 });
    expect(refill({ tokens: 0, periodStart: T0 }, RULE, T0 + 90_000)).toEqual({ tokens: 2, periodStart: T0 + 60_000 });
    // full again: the refill clock restarts with the next request
    expect(refill({ tokens: 0, periodStart: T0 }, RULE, T0 + 10 * 60_000)).toEqual({ tokens: 3, periodStart: T0 + 10 * 60_000 });
  });

  it('keeps the tokens when the clock is moved back', () => {
    expect(refill({ tokens: 1, periodStart: T0 }, RULE, T0 - 5000)).toEqual({ tokens: 1, periodStart: T0 - 5000 });
  });

  it('keeps one bucket per key, and forgets the oldest beyond its size', () => {
    const buckets = new TokenBuckets(RULE, 2);
    expect(buckets.take('a', T0).remaining).toBe(2);
    expect(buckets.take('a', T0).remaining).toBe(1);
    expect(buckets.take('b', T0).remaining).toBe(2);
    expect(buckets.take('c', T0).remaining).toBe(2);
    // 'a' was the oldest and was forgotten: it starts full again
    expect(buckets.take('a', T0).remaining).toBe(2);
    buckets.clear();
    expect(buckets.take('c', T0).remaining).toBe(2);
  });
});
