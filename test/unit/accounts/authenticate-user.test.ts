import { describe, expect, it } from 'vitest';
import { createUserAuthenticator, type LoginFailureRepository } from '../../../src/accounts/authenticate-user.js';
import { decoyHash } from '../../../src/accounts/passwords.js';
import type { PasswordVerifier, User, UserRepository } from '../../../src/oauth/ports.js';
import { TestClock } from '../../helpers/clock.js';

const ALICE = { uuid: 'u-alice', email: 'alice@lilas.example' } as User;

function setup() {
  const verified: string[] = [];
  const passwords: PasswordVerifier = {
    async verify(hash, password) {
      verified.push(hash);
      return hash === '$argon2id$alice' && password === 'right';
    },
  };
  const users = {
    findPasswordHash: (email: string) => (email === ALICE.email ? { user: ALICE, passwordHash: '$argon2id$alice' } : undefined),
  } as unknown as UserRepository;
  const failures: LoginFailureRepository = { since: () => [], record: () => undefined, clear: () => undefined };
  return { verified, authenticator: createUserAuthenticator({ users, passwords, failures, clock: new TestClock() }) };
}

describe('createUserAuthenticator: no account enumeration (ASVS 2.2.1, SPEC §7)', () => {
  it('runs one argon2 verify for an unknown e-mail too, against a decoy argon2id hash', async () => {
    const { verified, authenticator } = setup();
    expect(await authenticator.authenticate('nobody@lilas.example', 'right')).toEqual({ ok: false, reason: 'invalid' });
    expect(verified).toHaveLength(1);
    expect(verified[0]).toBe(await decoyHash());
    expect(verified[0]).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('answers an unknown e-mail and a wrong password with the same result, each after one verify', async () => {
    const { verified, authenticator } = setup();
    const unknown = await authenticator.authenticate('nobody@lilas.example', 'wrong');
    const wrong = await authenticator.authenticate(ALICE.email, 'wrong');
    expect(unknown).toEqual(wrong);
    expect(verified).toHaveLength(2);
    expect(await authenticator.authenticate(ALICE.email, 'right')).toEqual({ ok: true, user: ALICE });
  });
});
