import { invalidRequest } from './errors.js';
import type { ProtocolDeps } from './ports.js';
import { parseScope, resolveScope } from './scope.js';
import { newFamilyId, prepareTokens, saveTokens, type TokenResponse } from './token-issuer.js';

/** The grant type recorded for tokens minted without a flow (metrics, token records). */
export const MINTED_GRANT_TYPE = 'minted';

export interface MintRequest {
  clientId: string;
  /** The user's e-mail (case-insensitive) or uuid. */
  user: string;
  /** Space-separated scopes; the client's registered scopes when absent. */
  scope?: string | undefined;
}

/**
 * A token pair for a client and user without any flow (SPEC §8 `POST /_emulator/tokens`, the CLI's
 * `token`, the library's `mintTokens()`): shaped and stored exactly as the token endpoint's, in a
 * new family, with a refresh token only if the client may use the refresh_token grant.
 */
export async function mintTokens(request: MintRequest, deps: ProtocolDeps): Promise<TokenResponse> {
  const client = deps.repos.clients.find(request.clientId);
  if (!client) throw invalidRequest(`client_id \`${request.clientId.slice(0, 200)}\` names no registered client`);
  const user = request.user.includes('@') ? deps.repos.users.findByEmail(request.user) : deps.repos.users.findByUuid(request.user);
  if (!user) throw invalidRequest(`user \`${request.user.slice(0, 200)}\` names no seeded user; give a user's e-mail or uuid`);
  const scope = resolveScope(parseScope(request.scope), client);
  const prepared = await prepareTokens(
    {
      clientId: client.id,
      userUuid: user.uuid,
      scope,
      familyId: newFamilyId(deps.clock.now()),
      grantType: MINTED_GRANT_TYPE,
      withRefreshToken: client.grantTypes.includes('refresh_token'),
    },
    deps,
  );
  await deps.repos.commit(() => saveTokens(prepared, deps));
  return prepared.response;
}
