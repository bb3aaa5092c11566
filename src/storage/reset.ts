import type { Db } from './database.js';
import {
  accessTokens,
  authorizationCodes,
  consents,
  deviceCodes,
  interactions,
  loginFailures,
  refreshTokens,
  sessions,
} from './schema/index.js';

/** SPEC §8 reset: every token, code, session, consent, device code and login lock goes; seed data and keys stay. */
export function forgetRuntimeState(db: Db): void {
  db.$client.transaction(() => {
    for (const table of [accessTokens, refreshTokens, authorizationCodes, deviceCodes, interactions, consents, sessions, loginFailures]) {
      db.delete(table).run();
    }
  })();
}
