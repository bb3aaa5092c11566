import { describe, expect, it } from 'vitest';
import { GuessThrottle } from '../../../src/shared/guess-throttle.js';
import { TestClock } from '../../helpers/clock.js';

const limits = { perBrowser: 3, perAddress: 5, windowSeconds: 600 };

describe('GuessThrottle', () => {
  it('lets a browser guess until its limit, then says how long to wait on the injected clock', () => {
    const clock = new TestClock();
    const throttle = new GuessThrottle(clock, limits);
    const keys = { address: '127.0.0.1', browser: 'b1' };
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.retryAfterSeconds(keys)).toBe(0);
      throttle.recordFailure(keys);
      clock.advanceBy(10);
    }
    // failures at 0, 10 and 20 s; the oldest leaves the window at 600 s
    expect(throttle.retryAfterSeconds(keys)).toBe(570);
    clock.advanceBy(569);
    expect(throttle.retryAfterSeconds(keys)).toBe(1);
    clock.advanceBy(1);
    expect(throttle.retryAfterSeconds(keys)).toBe(0);
  });

  it('limits an address across browsers, and a browser without a cookie by its address alone', () => {
    const clock = new TestClock();
    const throttle = new GuessThrottle(clock, limits);
    for (const browser of ['a', 'b', 'c', undefined, undefined]) throttle.recordFailure({ address: '10.0.0.1', browser });
    expect(throttle.retryAfterSeconds({ address: '10.0.0.1', browser: 'fresh' })).toBe(600);
    expect(throttle.retryAfterSeconds({ address: '10.0.0.2', browser: 'a' })).toBe(0);
    expect(throttle.retryAfterSeconds({ address: '10.0.0.2' })).toBe(0);
  });

  it('forgets everything on clear', () => {
    const clock = new TestClock();
    const throttle = new GuessThrottle(clock, limits);
    for (let i = 0; i < 5; i += 1) throttle.recordFailure({ address: '10.0.0.1' });
    throttle.clear();
    expect(throttle.retryAfterSeconds({ address: '10.0.0.1' })).toBe(0);
  });

  it('keeps a bounded number of keys however many addresses fail', () => {
    const clock = new TestClock();
    const throttle = new GuessThrottle(clock, { perBrowser: 1, perAddress: 1, windowSeconds: 600 });
    for (let i = 0; i < 10_050; i += 1) throttle.recordFailure({ address: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` });
    // the oldest addresses were dropped; the newest are still limited
    expect(throttle.retryAfterSeconds({ address: '10.0.0.0' })).toBe(0);
    expect(throttle.retryAfterSeconds({ address: `10.0.${(10_049 >> 8) & 255}.${10_049 & 255}` })).toBe(600);
  });
});
