import { sha256 } from '../../shared/random.js';
import { invalidGrant, type OAuthError } from '../errors.js';
import { verifyCodeVerifier } from '../pkce.js';
import type { AuthorizationCodeRecord, ProtocolDeps } from '../ports.js';
import { prepareTokens, saveTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

const EXPIRED = 'The authorization code has expired';

function replayed(code: AuthorizationCodeRecord, deps: ProtocolDeps): OAuthError {
  // RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server
  // MUST deny the request and SHOULD revoke (when possible) all tokens previously issued based on
  // that authorization code."
  deps.repos.tokens.revokeFamily(code.familyId, deps.clock.now());
  return invalidGrant(
    'The authorization code was already used (codes are single-use); the tokens issued from its first use are now revoked',
    { description: 'The authorization code has been revoked' },
  );
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.6: exchanges an authorization code for a token pair. */
export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  allowsPublicClients: true,

  async handle({ client, params }, deps) {
    const value = params.require('code', 'the authorization code your redirect_uri received');
    const redirectUri = params.get('redirect_uri');
    const verifier = params.get('code_verifier');
    const { repos, clock } = deps;

    const code = repos.authorizationCodes.find(sha256(value));
    if (!code) {
      throw invalidGrant('No authorization code matches `code`: check that you send the value of the `code` query parameter unchanged');
    }
    if (code.clientId !== client.client.id) {
      throw invalidGrant(`This authorization code was issued to another client, not to \`${client.client.id}\``);
    }
    if (code.consumedAt !== null) throw replayed(code, deps);
    if (clock.now() >= code.expiresAt) {
      throw invalidGrant(`Authorization codes are valid for ${Math.round((code.expiresAt - code.issuedAt) / 1000)} seconds; start a new authorization`, {
        description: EXPIRED,
      });
    }
    // RFC 6749 §4.1.3: redirect_uri is REQUIRED if it was included in the authorization request,
    // "and their values MUST be identical".
    if (redirectUri === undefined && code.redirectUriProvided) {
      throw invalidGrant(`Check the \`redirect_uri\` parameter: it is missing; send ${code.redirectUri}, as in the authorization request`);
    }
    if (redirectUri !== undefined && redirectUri !== code.redirectUri) {
      throw invalidGrant(`redirect_uri \`${redirectUri}\` differs from the one of the authorization request (${code.redirectUri})`);
    }
    verifyCodeVerifier(verifier, code.codeChallenge);

    const prepared = await prepareTokens(
      {
        clientId: code.clientId,
        userUuid: code.userUuid,
        scope: code.scope,
        familyId: code.familyId,
        grantType: 'authorization_code',
        withRefreshToken: client.client.grantTypes.includes('refresh_token'),
      },
      deps,
    );
    const won = await repos.commit(() => {
      if (!repos.authorizationCodes.consume(code.codeHash, clock.now())) return false;
      saveTokens(prepared, deps);
      return true;
    });
    // another request consumed it while this one was signing: that is a replay too
    if (!won) throw replayed(code, deps);
    return prepared.response;
  },
};
