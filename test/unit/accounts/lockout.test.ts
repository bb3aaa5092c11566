import { describe, expect, it } from 'vitest';
import { LOCKOUT, lockState, minutesLeft, relevantSince } from '../../../src/accounts/lockout.js';

const MIN = 60_000;
const at = (...minutes: number[]) => minutes.map((m) => m * MIN);

describe('lockState (SPEC §7: 5 failures within 15 minutes lock for 15 minutes)', () => {
  it('does not lock after four failures', () => {
    expect(lockState(at(0, 1, 2, 3), 4 * MIN)).toEqual({ locked: false });
  });

  it('locks after the fifth failure within 15 minutes, until 15 minutes after it', () => {
    expect(lockState(at(0, 1, 2, 3, 4), 4 * MIN)).toEqual({ locked: true, until: 19 * MIN });
    expect(lockState(at(0, 1, 2, 3, 4), 19 * MIN - 1)).toEqual({ locked: true, until: 19 * MIN });
  });

  it('unlocks exactly 15 minutes after the last counted failure', () => {
    expect(lockState(at(0, 1, 2, 3, 4), 19 * MIN)).toEqual({ locked: false });
  });

  it('does not lock when the five failures span 15 minutes or more', () => {
    expect(lockState(at(0, 4, 8, 12, 15), 15 * MIN)).toEqual({ locked: false });
    expect(lockState(at(0, 4, 8, 12, 14.99), 15 * MIN)).toEqual({ locked: true, until: 29.99 * MIN });
  });

  it('judges the last five failures in any order', () => {
    expect(lockState(at(40, 3, 41, 42, 43, 44), 45 * MIN)).toEqual({ locked: true, until: 59 * MIN });
    expect(lockState(at(4, 3, 2, 1, 0), 5 * MIN)).toEqual({ locked: true, until: 19 * MIN });
  });

  it('needs five new failures after a lock has run out', () => {
    // the lock of 0..4 ran out at 19; one more failure at 20 is the first of a new series
    expect(lockState(at(0, 1, 2, 3, 4, 20), 20 * MIN)).toEqual({ locked: false });
    expect(lockState(at(0, 1, 2, 3, 4, 20, 21, 22, 23, 24), 24 * MIN)).toEqual({ locked: true, until: 39 * MIN });
  });

  it('keeps failures long enough to judge a lock: a window and a lock period', () => {
    expect(relevantSince(100 * MIN)).toBe(100 * MIN - LOCKOUT.windowMs - LOCKOUT.lockMs);
  });

  it('rounds the minutes left up, and never says zero', () => {
    expect(minutesLeft(19 * MIN, 4 * MIN)).toBe(15);
    expect(minutesLeft(19 * MIN, 18 * MIN + 1)).toBe(1);
    expect(minutesLeft(19 * MIN, 19 * MIN)).toBe(1);
  });
});
