import type { Client, ProtocolDeps } from './ports.js';
import type { Params } from './request-parameters.js';
import { findToken } from './token-lookup.js';

/** What a revocation request did, for the log (the client always gets 200, RFC 7009 §2.2). */
export type RevocationOutcome = 'family-revoked' | 'access-token-revoked' | 'unknown-token' | 'other-client';

/**
 * RFC 7009 §2.1: revokes a token of the authenticated client. A refresh token takes its whole
 * family with it (every token of the same authorization, SPEC §6.6); an access token goes alone.
 */
export async function revokeToken(request: { client: Client; params: Params }, deps: ProtocolDeps): Promise<RevocationOutcome> {
  const value = request.params.require('token', 'the access token or refresh token to revoke');
  const found = await findToken(value, request.params.get('token_type_hint'), deps);
  if (!found) {
    // RFC 7009 §2.2: "invalid tokens do not cause an error response since the client cannot
    // handle such an error in a reasonable way"
    return 'unknown-token';
  }
  // RFC 7009 §2.1: "The authorization server first validates the client credentials ... and then
  // verifies whether the token was issued to the client making the revocation request. If this
  // validation fails, the request is refused" (still 200: the client learns nothing about it)
  if (found.record.clientId !== request.client.id) return 'other-client';
  const now = deps.clock.now();
  if (found.kind === 'refresh_token') {
    // RFC 7009 §2.1: "If the particular token is a refresh token and the authorization server
    // supports the revocation of access tokens, then the authorization server SHOULD also
    // invalidate all access tokens based on the same authorization grant"
    revokeFamily(found.record.familyId, deps);
    return 'family-revoked';
  }
  deps.repos.tokens.revokeAccessToken(found.record.jti, now);
  return 'access-token-revoked';
}

/**
 * Revokes every token of one authorization (its family): what revoking a refresh token does, also
 * used by the console's Revoke button, which knows the family but not the token's value.
 */
export function revokeFamily(familyId: string, deps: Pick<ProtocolDeps, 'repos' | 'clock'>): void {
  deps.repos.tokens.revokeFamily(familyId, deps.clock.now());
}
