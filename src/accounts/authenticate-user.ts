import type { PasswordVerifier, User, UserRepository } from '../oauth/ports.js';
import { decoyHash } from './passwords.js';

export type LoginResult = { ok: true; user: User } | { ok: false; reason: 'invalid' };

/** Checks an e-mail and password. One uniform failure for an unknown e-mail and a wrong password. */
export async function authenticateUser(
  email: string,
  password: string,
  deps: { users: UserRepository; passwords: PasswordVerifier },
): Promise<LoginResult> {
  const found = deps.users.findPasswordHash(email.trim());
  const hash = found?.passwordHash ?? (await decoyHash());
  const ok = await deps.passwords.verify(hash, password);
  if (!found || !found.passwordHash || !ok) return { ok: false, reason: 'invalid' };
  return { ok: true, user: found.user };
}
