import type { Clock } from '../../src/shared/clock.js';

/** A base clock that only moves when told to (STYLE §3.12): no sleeps in tests. */
export class TestClock implements Clock {
  constructor(private current = Date.parse('2026-01-15T09:00:00Z')) {}
  now(): number {
    return this.current;
  }
  setNow(ms: number): void {
    this.current = ms;
  }
  advanceBy(seconds: number): void {
    this.current += seconds * 1000;
  }
}
