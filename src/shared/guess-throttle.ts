import type { Clock } from './clock.js';

export interface ThrottleLimits {
  /** Wrong codes one browser may enter per window (what a person who mistypes needs). */
  perBrowser: number;
  /** Wrong codes one IP address may enter per window, whatever its cookies say. */
  perAddress: number;
  windowSeconds: number;
}

export const DEVICE_GUESS_LIMITS: ThrottleLimits = { perBrowser: 5, perAddress: 30, windowSeconds: 15 * 60 };

/** Wrong ADMIN_TOKENs (control API, console) one IP address may send per window (ASVS 2.2.1). */
export const ADMIN_GUESS_LIMITS: ThrottleLimits = { perBrowser: 20, perAddress: 20, windowSeconds: 15 * 60 };

/** Keys are dropped oldest first past this many, so a flood of addresses cannot grow memory without bound. */
const MAX_KEYS = 10_000;

/**
 * Counts wrong guesses of a short secret and says how long to wait once a limit is reached. For
 * user codes, RFC 8628 §5.1: "the authorization server MUST rate-limit user-code attempts"; a user
 * code has 20^8 values, so a handful of wrong guesses per 15 minutes makes guessing a live code
 * hopeless. Counted per browser (its CSRF cookie) when one is given and, since cookies can be
 * dropped, per IP address. In memory, on the emulator clock; cleared by the control API's reset.
 */
export class GuessThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = DEVICE_GUESS_LIMITS,
  ) {}

  /** Seconds to wait before the next guess is accepted; 0 when a guess may be tried now. */
  retryAfterSeconds(keys: { address: string; browser?: string | undefined }): number {
    const waits = this.#keyed(keys).map(([key, limit]) => {
      const recent = this.#recent(key);
      const oldest = recent.length >= limit ? recent[recent.length - limit] : undefined;
      return oldest === undefined ? 0 : oldest + this.limits.windowSeconds * 1000 - this.clock.now();
    });
    return Math.max(0, Math.ceil(Math.max(...waits) / 1000));
  }

  recordFailure(keys: { address: string; browser?: string | undefined }): void {
    for (const [key] of this.#keyed(keys)) {
      const recent = this.#recent(key);
      recent.push(this.clock.now());
      this.#failures.delete(key); // re-insert: the Map's order is then least recently failed first
      this.#failures.set(key, recent.slice(-Math.max(this.limits.perAddress, this.limits.perBrowser)));
    }
    for (const key of this.#failures.keys()) {
      if (this.#failures.size <= MAX_KEYS) break;
      this.#failures.delete(key);
    }
  }

  clear(): void {
    this.#failures.clear();
  }

  #keyed(keys: { address: string; browser?: string | undefined }): Array<[string, number]> {
    const out: Array<[string, number]> = [[`ip:${keys.address}`, this.limits.perAddress]];
    if (keys.browser) out.push([`browser:${keys.browser}`, this.limits.perBrowser]);
    return out;
  }

  /** The failures of `key` still inside the window, oldest first. */
  #recent(key: string): number[] {
    const since = this.clock.now() - this.limits.windowSeconds * 1000;
    return (this.#failures.get(key) ?? []).filter((at) => at > since);
  }
}
