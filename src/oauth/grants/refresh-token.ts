import { findRefreshTokenByValue } from '../refresh-token-format.js';
import { invalidGrant, type OAuthError } from '../errors.js';
import type { ProtocolDeps, RefreshTokenRecord } from '../ports.js';
import { narrowScope, parseScope } from '../scope.js';
import { prepareTokens, saveTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

// league/oauth2-server's wording, which Askara's clients see (reference notes §11)
const INVALID = 'The refresh token is invalid.';

function spent(token: RefreshTokenRecord, deps: ProtocolDeps): OAuthError {
  // RFC 9700 §4.14.2: reuse of a rotated refresh token signals theft; revoke the whole family
  if (deps.settings.refreshReuse === 'revoke-family') {
    deps.repos.tokens.revokeFamily(token.familyId, deps.clock.now());
    return invalidGrant(
      'Token has been used already: refresh tokens are single-use, so store the new one after each refresh; every token of this authorization is now revoked (REFRESH_REUSE=revoke-family)',
      { description: INVALID },
    );
  }
  return invalidGrant('Token has been used already: refresh tokens are single-use, so store the new one after each refresh', {
    description: INVALID,
  });
}

/** RFC 6749 §6: a new token pair for a refresh token, which is spent (single-use rotation). */
export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  allowsPublicClients: true,

  async handle({ client, params }, deps) {
    const value = params.require('refresh_token', 'the refresh_token of your last token response');
    const requested = parseScope(params.get('scope'));
    const { repos, clock } = deps;

    const token = findRefreshTokenByValue(repos.tokens, value);
    if (!token) throw invalidGrant('No refresh token matches `refresh_token`: send it unchanged, all of its characters', { description: INVALID });
    if (token.clientId !== client.client.id) {
      throw invalidGrant(`This refresh token was issued to another client, not to \`${client.client.id}\``, { description: INVALID });
    }
    if (token.revokedAt !== null) throw invalidGrant('Token has been revoked', { description: INVALID });
    if (token.usedAt !== null) throw spent(token, deps);
    if (clock.now() >= token.expiresAt) throw invalidGrant('Token has expired: start a new authorization', { description: INVALID });
    if (!repos.users.findByUuid(token.userUuid)) {
      throw invalidGrant('The user this refresh token was issued for no longer exists', { description: INVALID });
    }
    const scope = narrowScope(requested, token.scope);

    const prepared = await prepareTokens(
      {
        clientId: token.clientId,
        userUuid: token.userUuid,
        scope,
        refreshScope: token.scope,
        familyId: token.familyId,
        grantType: 'refresh_token',
        withRefreshToken: true,
      },
      deps,
    );
    const won = await repos.commit(() => {
      if (!repos.tokens.spendRefreshToken(token.tokenHash, clock.now())) return false;
      saveTokens(prepared, deps);
      return true;
    });
    if (!won) {
      // lost a race: another request spent or revoked it while this one was signing
      const now = repos.tokens.findRefreshToken(token.tokenHash);
      if (now?.revokedAt != null) throw invalidGrant('Token has been revoked', { description: INVALID });
      throw spent(token, deps);
    }
    return prepared.response;
  },
};
