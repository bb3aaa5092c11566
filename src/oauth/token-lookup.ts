import { findRefreshTokenByValue } from './refresh-token-format.js';
import type { AccessTokenRecord, ProtocolDeps, RefreshTokenRecord } from './ports.js';

export type TokenTypeHint = 'access_token' | 'refresh_token';

export type FoundToken =
  | { kind: 'access_token'; record: AccessTokenRecord; claims: Record<string, unknown> }
  | { kind: 'refresh_token'; record: RefreshTokenRecord };

// a compact JWS: three base64url parts (RFC 7515 §7.1)
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 8192;

async function findAccessToken(value: string, deps: ProtocolDeps): Promise<FoundToken | undefined> {
  if (!JWT_SHAPE.test(value)) return undefined;
  let claims: Record<string, unknown>;
  try {
    // an expired token is still this server's token: it can be revoked, and introspects inactive
    claims = await deps.signer.verify(value, { issuer: deps.settings.issuer(), now: deps.clock.now(), acceptExpired: true });
  } catch {
    return undefined;
  }
  const record = typeof claims.jti === 'string' ? deps.repos.tokens.findAccessToken(claims.jti) : undefined;
  return record && { kind: 'access_token', record, claims };
}

function findRefreshToken(value: string, deps: ProtocolDeps): FoundToken | undefined {
  const record = findRefreshTokenByValue(deps.repos.tokens, value);
  return record && { kind: 'refresh_token', record };
}

/**
 * A token this server issued, found by its value whatever its state (expired, revoked, spent), or
 * undefined. The hint only orders the search: RFC 7009 §2.1 and RFC 7662 §2.1 ask the server to
 * "extend its search across all of its supported token types" when the hint is wrong.
 */
export async function findToken(value: string, hint: string | undefined, deps: ProtocolDeps): Promise<FoundToken | undefined> {
  if (value.length > MAX_TOKEN_LENGTH) return undefined;
  if (hint === 'refresh_token') return findRefreshToken(value, deps) ?? (await findAccessToken(value, deps));
  return (await findAccessToken(value, deps)) ?? findRefreshToken(value, deps);
}
