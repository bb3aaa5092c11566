import { epochSeconds } from '../shared/clock.js';
import type { Client, ProtocolDeps } from './ports.js';
import type { Params } from './request-parameters.js';
import { formatScope } from './scope.js';
import { findToken, type FoundToken } from './token-lookup.js';

export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: IntrospectionResponse = { active: false };

function isActive(found: FoundToken, now: number): boolean {
  if (found.record.revokedAt !== null || now >= found.record.expiresAt) return false;
  if (found.kind === 'refresh_token') return found.record.usedAt === null;
  // not valid yet (the emulator clock was moved back before its nbf)
  return typeof found.claims.nbf !== 'number' || epochSeconds(now) >= found.claims.nbf;
}

function describe(found: FoundToken, issuer: string): IntrospectionResponse {
  if (found.kind === 'access_token') {
    const { claims, record } = found;
    return {
      active: true,
      scope: formatScope(record.scope),
      client_id: record.clientId,
      sub: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      nbf: claims.nbf,
      jti: record.jti,
      token_type: 'Bearer',
      iss: claims.iss,
      aud: claims.aud,
    };
  }
  const { record } = found;
  return {
    active: true,
    scope: formatScope(record.scope),
    client_id: record.clientId,
    sub: record.userUuid,
    exp: epochSeconds(record.expiresAt),
    iat: epochSeconds(record.issuedAt),
    token_type: 'refresh_token',
    iss: issuer,
    aud: record.clientId,
  };
}

/**
 * RFC 7662 §2: the state of a token of the authenticated client. Anything unknown, expired,
 * revoked, spent, or issued to another client is exactly `{"active": false}` (§2.2: "the
 * authorization server MUST NOT include any additional information about an inactive token"),
 * so a client cannot probe other clients' tokens.
 */
export async function introspectToken(request: { client: Client; params: Params }, deps: ProtocolDeps): Promise<IntrospectionResponse> {
  const value = request.params.require('token', 'the access token or refresh token to introspect');
  const found = await findToken(value, request.params.get('token_type_hint'), deps);
  if (!found || found.record.clientId !== request.client.id || !isActive(found, deps.clock.now())) return INACTIVE;
  return describe(found, deps.settings.issuer());
}
