import { epochSeconds } from '../shared/clock.js';
import { timeOrderedId } from '../shared/random.js';
import { refreshTokenKey, refreshTokenValue } from './refresh-token-format.js';
import type { AccessTokenRecord, ProtocolDeps, RefreshTokenRecord } from './ports.js';
import { formatScope } from './scope.js';

/** The token endpoint's success body, keys in Askara's order (SPEC §6.1). */
export interface TokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  refresh_token?: string;
}

export interface IssueRequest {
  clientId: string;
  /** The user the tokens act for; null for client_credentials (the subject is then the client). */
  userUuid: string | null;
  /** Scopes of the access token. */
  scope: string[];
  /** Scopes the refresh token keeps (RFC 6749 §6: the original grant, even after narrowing). */
  refreshScope?: string[];
  familyId: string;
  grantType: string;
  withRefreshToken: boolean;
}

/** Signed tokens and the rows that record them, to be saved in the caller's transaction. */
export interface PreparedTokens {
  response: TokenResponse;
  accessToken: AccessTokenRecord;
  refreshToken: RefreshTokenRecord | undefined;
}

/**
 * Mints an access token (RS256 JWT, SPEC §4) and, if asked, a refresh token. Nothing is stored
 * here: signing is asynchronous, so grants sign first and then save the rows in the same
 * transaction that consumes their code or refresh token, and a failed race leaves no token behind.
 */
export async function prepareTokens(req: IssueRequest, deps: ProtocolDeps): Promise<PreparedTokens> {
  const { settings, clock, signer } = deps;
  const now = clock.now();
  const iat = epochSeconds(now);
  const jti = timeOrderedId(now, 18);
  const subject = req.userUuid ?? req.clientId;
  // league's claims (aud, jti, iat, nbf, exp, sub, scopes) plus iss, client_id and scope (RFC 9068)
  const claims = {
    iss: settings.issuer(),
    aud: req.clientId,
    jti,
    iat,
    nbf: iat,
    exp: iat + settings.accessTokenTtl,
    sub: subject,
    scopes: req.scope,
    scope: formatScope(req.scope),
    client_id: req.clientId,
  };
  const accessToken: AccessTokenRecord = {
    jti,
    familyId: req.familyId,
    clientId: req.clientId,
    userUuid: req.userUuid,
    scope: req.scope,
    grantType: req.grantType,
    issuedAt: iat * 1000,
    expiresAt: (iat + settings.accessTokenTtl) * 1000,
    revokedAt: null,
  };
  const jwt = await signer.sign(claims, settings.accessTokenTyp);
  const response: TokenResponse = { token_type: 'Bearer', expires_in: settings.accessTokenTtl, access_token: jwt };
  let refreshToken: RefreshTokenRecord | undefined;
  if (req.withRefreshToken && req.userUuid !== null) {
    const value = refreshTokenValue(now);
    refreshToken = {
      tokenHash: refreshTokenKey(value),
      familyId: req.familyId,
      clientId: req.clientId,
      userUuid: req.userUuid,
      scope: req.refreshScope ?? req.scope,
      issuedAt: now,
      expiresAt: now + settings.refreshTokenTtl * 1000,
      usedAt: null,
      revokedAt: null,
    };
    response.refresh_token = value;
  }
  return { response, accessToken, refreshToken };
}

/** Saves what prepareTokens made; call inside the grant's transaction. */
export function saveTokens(prepared: PreparedTokens, deps: ProtocolDeps): void {
  deps.repos.tokens.saveAccessToken(prepared.accessToken);
  if (prepared.refreshToken) deps.repos.tokens.saveRefreshToken(prepared.refreshToken);
  deps.events?.tokensIssued({ grantType: prepared.accessToken.grantType, clientId: prepared.accessToken.clientId });
}

/** A new family (one authorization and every token descending from it), at `now` on the emulator clock. */
export function newFamilyId(now: number): string {
  return timeOrderedId(now);
}
