import { OAuthError, insufficientScope, invalidToken } from './errors.js';
import type { AccessTokenRecord, Organization, ProtocolDeps, User } from './ports.js';

const REALM = 'askara-emulator';

export interface BearerAuthorization {
  token: AccessTokenRecord;
  claims: Record<string, unknown>;
  /** The token's user, read with the token; undefined for a client_credentials token. */
  user: User | undefined;
  organization: Organization | undefined;
}

function challenge(error?: string, extra: Record<string, string> = {}): Record<string, string> {
  const parts = [`realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}="${v}"`);
  return { 'WWW-Authenticate': `Bearer ${parts.join(', ')}` };
}

function rejected(hint: string): OAuthError {
  return invalidToken(hint, { headers: challenge('invalid_token') });
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Authenticates a protected-resource request by its bearer access token (RFC 6750): the JWT
 * signature, issuer and lifetime on the emulator clock, then the stored record (with its user, in
 * the same read), so a revoked token is refused at once. Errors carry the WWW-Authenticate
 * challenge of RFC 6750 §3.
 */
export async function authenticateBearer(
  authorization: string | undefined,
  requiredScope: string,
  deps: ProtocolDeps,
): Promise<BearerAuthorization> {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) {
    if (authorization !== undefined && /^bearer\b/i.test(authorization)) {
      throw rejected('The Authorization header must be `Bearer <access_token>`: one space, then the token');
    }
    // RFC 6750 §3.1: a request without Bearer credentials gets the bare challenge, no error code
    const got = authorization === undefined || authorization.trim() === '' ? 'no Authorization header' : `the ${authorization.split(' ')[0]?.slice(0, 20)} scheme`;
    throw new OAuthError('invalid_request', `Send the access token as \`Authorization: Bearer <access_token>\`; received ${got}`, {
      status: 401,
      description: 'The request has no access token.',
      headers: challenge(),
    });
  }
  const jwt = match[1];
  if (!B64TOKEN.test(jwt) || jwt.split('.').length !== 3) throw rejected('The access token is not a JWT (three base64url parts separated by dots)');
  let claims: Record<string, unknown>;
  try {
    claims = await deps.signer.verify(jwt, { issuer: deps.settings.issuer(), now: deps.clock.now() });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') throw rejected('The access token has expired: use the refresh token to get a new one');
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') throw rejected(`The access token was not issued by ${deps.settings.issuer()} or is not valid yet`);
    throw rejected('The access token could not be verified with this server\'s keys (/.well-known/jwks.json)');
  }
  const found = typeof claims.jti === 'string' ? deps.repos.tokens.findAccessTokenWithUser(claims.jti) : undefined;
  if (!found) throw rejected('The access token is unknown to this server (was the emulator reset?)');
  const { token } = found;
  if (token.revokedAt !== null) throw rejected('The access token has been revoked');
  if (!token.scope.includes(requiredScope)) {
    throw insufficientScope(`This endpoint needs the \`${requiredScope}\` scope; the token has: ${token.scope.join(' ') || '(none)'}`, {
      headers: challenge('insufficient_scope', { scope: requiredScope }),
    });
  }
  return { ...found, claims };
}
