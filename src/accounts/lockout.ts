/**
 * The login lockout of SPEC §7, as a pure rule over an account's counted failures: after 5
 * failed logins within 15 minutes the account is locked for 15 minutes from the last counted
 * failure. Attempts made while it is locked are refused before the password is checked and are
 * never recorded, so they can neither count nor extend the lock.
 */
export interface LockoutRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const LOCKOUT: LockoutRule = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export type LockState = { locked: false } | { locked: true; until: number };

/**
 * Whether an account is locked at `now`, given when its counted failures happened (ms, any
 * order). Only the last `maxFailures` matter: they must lie strictly within one window, and
 * the lock runs from the last of them.
 */
export function lockState(failures: readonly number[], now: number, rule: LockoutRule = LOCKOUT): LockState {
  if (failures.length < rule.maxFailures) return { locked: false };
  const recent = [...failures].sort((a, b) => a - b).slice(-rule.maxFailures);
  const first = recent[0] as number;
  const last = recent[recent.length - 1] as number;
  if (last - first >= rule.windowMs) return { locked: false };
  const until = last + rule.lockMs;
  return now < until ? { locked: true, until } : { locked: false };
}

/** Failures older than this can no longer take part in a lock at `now`: prune them. */
export function relevantSince(now: number, rule: LockoutRule = LOCKOUT): number {
  return now - rule.lockMs - rule.windowMs;
}

/** Whole minutes left, rounded up, for the message "try again in N minutes". */
export function minutesLeft(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 60_000));
}
