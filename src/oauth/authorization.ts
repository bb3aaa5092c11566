import { randomId, sha256 } from '../shared/random.js';
import { invalidRequest, unauthorizedClient, unsupportedResponseType, type OAuthError } from './errors.js';
import { validateChallenge } from './pkce.js';
import type { Client, ClientRepository, ProtocolDeps } from './ports.js';
import { matchRedirectUri } from './redirect-uri.js';
import type { Params } from './request-parameters.js';
import { parseScope, resolveScope } from './scope.js';
import { newFamilyId } from './token-issuer.js';

/**
 * response_type → the grant type a client must be registered for. `token` is the implicit grant
 * (RFC 6749 §4.2), deprecated by RFC 9700 §2.1.2 and served only to clients that list it.
 */
export const RESPONSE_TYPES: Readonly<Record<string, string>> = { code: 'authorization_code', token: 'implicit' };

/** RFC 6749 §4.2.2 and §4.2.2.1: the implicit grant answers, errors included, in the fragment. */
export function responseModeOf(responseType: string | undefined): 'query' | 'fragment' {
  return responseType === 'token' ? 'fragment' : 'query';
}

export interface AuthorizationTarget {
  client: Client;
  redirectUri: string;
  redirectUriProvided: boolean;
}

export interface AuthorizationRequest extends AuthorizationTarget {
  responseType: string;
  scope: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  loginHint: string | undefined;
}

const MAX_STATE = 2048;

/**
 * Step one of /authorize: who is asking and where the answer goes. An error here is shown to
 * the user and never redirected (RFC 6749 §4.1.2.1, SPEC §5): an unverified redirect_uri must
 * not receive anything.
 */
export function resolveTarget(params: Params, clients: ClientRepository): AuthorizationTarget {
  const clientId = params.require('client_id', 'the client_id Askara gave your application');
  const client = clients.find(clientId);
  if (!client) throw invalidRequest(`No client is registered with client_id \`${clientId}\``);
  const requested = params.get('redirect_uri');
  if (requested === undefined) {
    // RFC 6749 §3.1.2.3: optional when exactly one redirect URI is registered
    const [only, ...others] = client.redirectUris;
    if (only === undefined || others.length) {
      throw invalidRequest(`Check the \`redirect_uri\` parameter: it is missing, and client \`${clientId}\` has ${client.redirectUris.length} registered redirect URIs`);
    }
    return { client, redirectUri: only, redirectUriProvided: false };
  }
  const redirectUri = matchRedirectUri(client, requested);
  if (redirectUri === undefined) {
    throw invalidRequest(
      `The redirect_uri \`${requested}\` is not registered for client \`${clientId}\`; redirect URIs must match a registered one exactly (registered: ${client.redirectUris.join(', ') || 'none'})`,
    );
  }
  return { client, redirectUri, redirectUriProvided: true };
}

/**
 * Step two: the rest of the request. Errors here go back to the client's redirect URI
 * (RFC 6749 §4.1.2.1), with `state`.
 */
export function validateAuthorizationRequest(params: Params, target: AuthorizationTarget): AuthorizationRequest {
  const { client } = target;
  const responseType = params.require('response_type', '`code`');
  const grantType = RESPONSE_TYPES[responseType];
  if (grantType === undefined) {
    throw unsupportedResponseType(`response_type \`${responseType.slice(0, 40)}\` is not supported; use one of: ${Object.keys(RESPONSE_TYPES).join(', ')}`);
  }
  if (!client.grantTypes.includes(grantType)) {
    throw unauthorizedClient(`Client \`${client.id}\` is not registered for ${grantType} (response_type=${responseType}); its grant types are: ${client.grantTypes.join(', ')}`);
  }
  const state = params.get('state');
  if (state !== undefined && state.length > MAX_STATE) throw invalidRequest(`state is ${state.length} characters long; at most ${MAX_STATE} are accepted`);
  const scope = resolveScope(parseScope(params.get('scope')), client);
  // PKCE belongs to the code flow (RFC 7636 §4.3); the implicit grant has no code to bind
  const codeChallenge = responseType === 'code' ? params.get('code_challenge') : undefined;
  const codeChallengeMethod = responseType === 'code' ? params.get('code_challenge_method') : undefined;
  validateChallenge(codeChallenge, codeChallengeMethod);
  if (client.isPublic && responseType === 'code' && codeChallenge === undefined) {
    // RFC 7636 §4.4.1 and RFC 9700 §2.1.1: public clients must use PKCE
    throw invalidRequest(`Client \`${client.id}\` is public, so it must use PKCE: send code_challenge and code_challenge_method=S256`);
  }
  return {
    ...target,
    responseType,
    scope,
    state,
    codeChallenge,
    codeChallengeMethod,
    loginHint: params.get('login_hint'),
  };
}

/**
 * The redirect that answers an authorization request: the redirect URI with its own query kept
 * (RFC 6749 §3.1.2), the response parameters, `state`, and `iss` (RFC 9207, mix-up defense).
 */
export function authorizationResponseUrl(
  target: { redirectUri: string; state?: string | undefined },
  issuer: string,
  values: Record<string, string>,
  mode: 'query' | 'fragment' = 'query',
): string {
  const url = new URL(target.redirectUri);
  const extra = new URLSearchParams(values);
  if (target.state !== undefined) extra.set('state', target.state);
  extra.set('iss', issuer);
  if (mode === 'fragment') {
    url.hash = extra.toString();
  } else {
    for (const [k, v] of extra) url.searchParams.append(k, v);
  }
  return url.href;
}

export function errorResponseUrl(
  target: { redirectUri: string; state?: string | undefined },
  issuer: string,
  error: OAuthError,
  mode: 'query' | 'fragment' = 'query',
): string {
  return authorizationResponseUrl(target, issuer, { error: error.code, error_description: error.description, hint: error.hint }, mode);
}

/** Issues an authorization code for an approved request and returns the redirect carrying it. */
export function issueAuthorizationCode(request: AuthorizationRequest, userUuid: string, deps: ProtocolDeps): string {
  const now = deps.clock.now();
  const code = randomId(32);
  deps.repos.authorizationCodes.save({
    codeHash: sha256(code),
    familyId: newFamilyId(now),
    clientId: request.client.id,
    userUuid,
    redirectUri: request.redirectUri,
    redirectUriProvided: request.redirectUriProvided,
    scope: request.scope,
    codeChallenge: request.codeChallenge ?? null,
    codeChallengeMethod: request.codeChallengeMethod ?? null,
    issuedAt: now,
    expiresAt: now + deps.settings.authCodeTtl * 1000,
    consumedAt: null,
  });
  return authorizationResponseUrl(request, deps.settings.issuer(), { code });
}
