/**
 * Time, injectable (SPEC §4, §8): every expiry, `iat`/`exp`, lockout and rate-limit refill reads
 * `clock.now()`, so tests and the control API move time instead of waiting.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, as the emulator sees it. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that runs with a base clock, shifted by an offset the control API can change. */
export class EmulatorClock implements Clock {
  #offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.#offsetMs;
  }

  get offsetSeconds(): number {
    return this.#offsetMs / 1000;
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }

  set(epochMs: number): void {
    this.#offsetMs = epochMs - this.base.now();
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}

/** Whole seconds since the epoch (JWT NumericDate, RFC 7519 §2). */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
