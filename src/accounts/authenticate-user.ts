import type { Clock } from '../shared/clock.js';
import type { LoginResult, PasswordVerifier, User, UserAuthenticator, UserRepository } from '../oauth/ports.js';
import { lockState, relevantSince, type LockState } from './lockout.js';
import { decoyHash } from './passwords.js';

export type { LoginResult } from '../oauth/ports.js';

/** The failed logins of each account (the `login_failures` table). */
export interface LoginFailureRepository {
  /** When the account's failed logins after `since` happened (ms on the emulator clock). */
  since(userUuid: string, since: number): number[];
  /** Records a failure and forgets the account's failures before `pruneBefore`. */
  record(userUuid: string, at: number, pruneBefore: number): void;
  /** Forgets the account's failures (after a successful login). */
  clear(userUuid: string): void;
}

export interface AuthenticatorDeps {
  users: UserRepository;
  passwords: PasswordVerifier;
  failures: LoginFailureRepository;
  clock: Clock;
}

const INVALID: LoginResult = { ok: false, reason: 'invalid' };

/**
 * Checks e-mails and passwords for the login page and the password grant alike (SPEC §7): one
 * uniform failure for an unknown e-mail and a wrong password (an unknown e-mail still costs an
 * argon2 verify), and the lockout of `lockout.ts` for known accounts.
 */
export function createUserAuthenticator(deps: AuthenticatorDeps): UserAuthenticator {
  const { users, passwords, failures, clock } = deps;
  const stateOf = (user: User): LockState => {
    const now = clock.now();
    return lockState(failures.since(user.uuid, relevantSince(now)), now);
  };
  const locked = (user: User, until: number, justLocked: boolean): LoginResult => ({ ok: false, reason: 'locked', userUuid: user.uuid, until, justLocked });

  return {
    async authenticate(email, password) {
      const found = users.findPasswordHash(email.trim());
      // SPEC §7: attempts during the lock are refused, not checked, not counted
      const before = found && stateOf(found.user);
      if (found && before?.locked) return locked(found.user, before.until, false);
      const ok = await passwords.verify(found?.passwordHash ?? (await decoyHash()), password);
      if (!found) return INVALID;
      // better-sqlite3 is synchronous: from here to the return nothing else runs, so a parallel
      // attempt that locked the account while this one was hashing is seen, and the lock holds
      const during = stateOf(found.user);
      if (during.locked) return locked(found.user, during.until, false);
      if (ok && found.passwordHash) {
        failures.clear(found.user.uuid);
        return { ok: true, user: found.user };
      }
      const now = clock.now();
      failures.record(found.user.uuid, now, relevantSince(now));
      const after = stateOf(found.user);
      return after.locked ? locked(found.user, after.until, true) : INVALID;
    },
  };
}
