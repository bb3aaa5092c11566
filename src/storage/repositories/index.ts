import type { ConsoleRepositories } from '../../console/ports.js';
import type { Repositories } from '../../oauth/ports.js';
import { inTransaction, type Db } from '../database.js';
import { groupCommitOf } from '../group-commit.js';
import { createClientRepository } from './clients.js';
import { createDeviceCodeRepository } from './device-codes.js';
import { createConsentRepository, createInteractionRepository, createSessionRepository } from './interactions.js';
import { createLoginFailureRepository } from './login-failures.js';
import { createMetaRepository } from './meta.js';
import { createSigningKeyRepository } from './signing-keys.js';
import { createAuthorizationCodeRepository, createTokenRepository } from './tokens.js';
import { createUserRepository } from './users.js';

export function createRepositories(db: Db) {
  const group = groupCommitOf(db.$client);
  return {
    clients: createClientRepository(db),
    users: createUserRepository(db),
    authorizationCodes: createAuthorizationCodeRepository(db),
    tokens: createTokenRepository(db),
    interactions: createInteractionRepository(db),
    consents: createConsentRepository(db),
    sessions: createSessionRepository(db),
    loginFailures: createLoginFailureRepository(db),
    signingKeys: createSigningKeyRepository(db),
    meta: createMetaRepository(db),
    deviceCodes: createDeviceCodeRepository(db),
    transaction: <T>(fn: () => T): T => inTransaction(db, fn),
    commit: <T>(fn: () => T): Promise<T> => group.run(fn),
  } satisfies Repositories & ConsoleRepositories & Record<string, unknown>;
}

export type AppRepositories = ReturnType<typeof createRepositories>;
