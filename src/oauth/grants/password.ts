import { invalidGrant } from '../errors.js';
import { parseScope, resolveScope } from '../scope.js';
import { newFamilyId, prepareTokens, saveTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

// league/oauth2-server's description for wrong user credentials (reference notes §11)
const WRONG_CREDENTIALS = 'The user credentials were incorrect.';

/**
 * RFC 6749 §4.3: the resource owner password credentials grant, for clients that list it. Wrong
 * credentials count toward the login lockout of SPEC §7, as on the login page; the failure is
 * the same for an unknown e-mail and a wrong password.
 */
export const passwordGrant: GrantHandler = {
  grantType: 'password',
  // SPEC §3: a public client "can never use client_credentials or password"
  allowsPublicClients: false,

  async handle({ client, params }, deps) {
    const username = params.require('username', "the user's e-mail address");
    const password = params.require('password', "the user's password");
    const scope = resolveScope(parseScope(params.get('scope')), client.client);

    // RFC 6749 §4.3.2: the server MUST "validate the resource owner password credentials using its
    // existing password validation algorithm" and "protect the endpoint against brute force
    // attacks (e.g., using rate-limitation or generating alerts)": the lockout of SPEC §7
    const login = await deps.accounts.authenticate(username, password);
    if (!login.ok && login.reason === 'locked') {
      const minutes = Math.max(1, Math.ceil((login.until - deps.clock.now()) / 60_000));
      throw invalidGrant(
        `This account is locked after 5 failed logins within 15 minutes; it unlocks at ${new Date(login.until).toISOString()} (in ${minutes} minute${minutes === 1 ? '' : 's'})`,
        { description: WRONG_CREDENTIALS, detail: login.justLocked ? `account ${login.userUuid} locked` : `account ${login.userUuid} is locked` },
      );
    }
    if (!login.ok) {
      throw invalidGrant('The username or password is wrong: send the e-mail address and the password the user logs in with', {
        description: WRONG_CREDENTIALS,
      });
    }
    const prepared = await prepareTokens(
      {
        clientId: client.client.id,
        userUuid: login.user.uuid,
        scope,
        familyId: newFamilyId(deps.clock.now()),
        grantType: 'password',
        withRefreshToken: client.client.grantTypes.includes('refresh_token'),
      },
      deps,
    );
    await deps.repos.commit(() => saveTokens(prepared, deps));
    return prepared.response;
  },
};
