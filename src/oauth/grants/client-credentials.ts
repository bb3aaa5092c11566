import { parseScope, resolveScope } from '../scope.js';
import { newFamilyId, prepareTokens, saveTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

/**
 * RFC 6749 §4.4: an access token for the client itself. The subject is the client (SPEC §4), the
 * scope defaults to the client's registered scopes, and no refresh token is issued.
 */
export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  // RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
  allowsPublicClients: false,

  async handle({ client, params }, deps) {
    const scope = resolveScope(parseScope(params.get('scope')), client.client);
    const prepared = await prepareTokens(
      {
        clientId: client.client.id,
        userUuid: null,
        scope,
        familyId: newFamilyId(deps.clock.now()),
        grantType: 'client_credentials',
        // RFC 6749 §4.4.3: "A refresh token SHOULD NOT be included."
        withRefreshToken: false,
      },
      deps,
    );
    await deps.repos.commit(() => saveTokens(prepared, deps));
    return prepared.response;
  },
};
