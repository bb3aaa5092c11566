import type { AuthorizationRequest } from './authorization.js';
import { authorizationResponseUrl } from './authorization.js';
import type { ProtocolDeps } from './ports.js';
import { formatScope } from './scope.js';
import { newFamilyId, prepareTokens, saveTokens } from './token-issuer.js';

/**
 * The implicit grant's answer (RFC 6749 §4.2.2), deprecated (RFC 9700 §2.1.2) and kept for the
 * clients that list it: an access token in the redirect URI's fragment. Signing is asynchronous,
 * so the token is signed here and the returned function saves it and builds the redirect inside
 * the caller's transaction.
 */
export async function prepareImplicitResponse(request: AuthorizationRequest, userUuid: string, deps: ProtocolDeps): Promise<() => string> {
  const prepared = await prepareTokens(
    {
      clientId: request.client.id,
      userUuid,
      scope: request.scope,
      familyId: newFamilyId(deps.clock.now()),
      grantType: 'implicit',
      // RFC 6749 §4.2.2: "The authorization server MUST NOT issue a refresh token."
      withRefreshToken: false,
    },
    deps,
  );
  return () => {
    saveTokens(prepared, deps);
    const { access_token, expires_in } = prepared.response;
    return authorizationResponseUrl(
      request,
      deps.settings.issuer(),
      { access_token, token_type: 'Bearer', expires_in: String(expires_in), scope: formatScope(request.scope) },
      'fragment',
    );
  };
}
