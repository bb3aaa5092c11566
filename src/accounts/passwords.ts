import argon2 from 'argon2';
import type { PasswordVerifier } from '../oauth/ports.js';

/** argon2id at OWASP's minimum parameters (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export const passwordVerifier: PasswordVerifier = {
  async verify(hash, password) {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};

/**
 * A hash of a random password, verified against when the e-mail is unknown, so that a login
 * for an unknown account costs as much as one for a known account (no account enumeration by timing).
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}
