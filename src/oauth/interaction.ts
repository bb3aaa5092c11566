import { randomId, safeEqual, sha256 } from '../shared/random.js';
import { errorResponseUrl, issueAuthorizationCode, responseModeOf, type AuthorizationRequest } from './authorization.js';
import { accessDenied, invalidRequest } from './errors.js';
import { prepareImplicitResponse } from './implicit.js';
import type { InteractionRecord, ProtocolDeps, User } from './ports.js';
import { covers } from './scope.js';

/** How long a user has to log in and consent before the request must be started again. */
export const INTERACTION_TTL_SECONDS = 30 * 60;

export type InteractionStep =
  | { kind: 'login'; request: AuthorizationRequest }
  | { kind: 'consent'; request: AuthorizationRequest }
  | { kind: 'redirect'; location: string };

/**
 * Stores a validated request; the pages move it through login and consent by its id. With a
 * `browser` key (a secret the browser holds in a cookie), only that browser can move it on.
 */
export function startInteraction(request: AuthorizationRequest, deps: ProtocolDeps, browser?: string): string {
  const now = deps.clock.now();
  const id = randomId(24);
  deps.repos.interactions.save({
    id,
    clientId: request.client.id,
    responseType: request.responseType,
    redirectUri: request.redirectUri,
    redirectUriProvided: request.redirectUriProvided,
    scope: request.scope,
    state: request.state ?? null,
    codeChallenge: request.codeChallenge ?? null,
    codeChallengeMethod: request.codeChallengeMethod ?? null,
    loginHint: request.loginHint ?? null,
    browserHash: browser === undefined ? null : sha256(browser),
    createdAt: now,
    expiresAt: now + INTERACTION_TTL_SECONDS * 1000,
    completedAt: null,
  });
  return id;
}

/**
 * The pending request behind an interaction id, or invalid_request (shown on a page). A bound
 * interaction is refused to any other browser: its URL alone (leaked, or sent to a victim to
 * make them approve a request they never started) is worth nothing.
 */
export function loadInteraction(id: string, deps: ProtocolDeps, browser?: string): AuthorizationRequest {
  const found = deps.repos.interactions.find(id);
  if (!found) throw invalidRequest('This authorization request is unknown; go back to the application and sign in again');
  if (found.browserHash !== null && (browser === undefined || !safeEqual(sha256(browser), found.browserHash))) {
    throw invalidRequest('This authorization request was started in another browser; go back to the application and sign in again from this browser');
  }
  if (found.completedAt !== null) throw invalidRequest('This authorization request is already finished; go back to the application and sign in again');
  if (deps.clock.now() >= found.expiresAt) throw invalidRequest('This authorization request has expired; go back to the application and sign in again');
  const client = deps.repos.clients.find(found.clientId);
  if (!client) throw invalidRequest('The application of this authorization request no longer exists');
  return toRequest(found, client);
}

function toRequest(rec: InteractionRecord, client: AuthorizationRequest['client']): AuthorizationRequest {
  return {
    client,
    responseType: rec.responseType,
    redirectUri: rec.redirectUri,
    redirectUriProvided: rec.redirectUriProvided,
    scope: rec.scope,
    state: rec.state ?? undefined,
    codeChallenge: rec.codeChallenge ?? undefined,
    codeChallengeMethod: rec.codeChallengeMethod ?? undefined,
    loginHint: rec.loginHint ?? undefined,
  };
}

/** What the user sees next: the login page, the consent page, or (consent remembered) the client. */
export async function nextStep(id: string, user: User | undefined, deps: ProtocolDeps, browser?: string): Promise<InteractionStep> {
  const request = loadInteraction(id, deps, browser);
  if (!user) return { kind: 'login', request };
  const granted = deps.repos.consents.find(user.uuid, request.client.id);
  if (!covers(granted, request.scope)) return { kind: 'consent', request };
  return { kind: 'redirect', location: await finish(id, request, user, 'authorize', deps) };
}

/** Records the user's decision on the consent page and answers the client. */
export function decide(id: string, user: User, decision: 'authorize' | 'deny', deps: ProtocolDeps, browser?: string): Promise<string> {
  return finish(id, loadInteraction(id, deps, browser), user, decision, deps);
}

async function finish(id: string, request: AuthorizationRequest, user: User, decision: 'authorize' | 'deny', deps: ProtocolDeps): Promise<string> {
  const { repos, clock, settings } = deps;
  const answer = decision === 'authorize' ? await prepareAnswer(request, user.uuid, deps) : undefined;
  return repos.transaction(() => {
    // single-use: a double-submitted consent form must not issue two codes (or tokens)
    if (!repos.interactions.complete(id, clock.now())) {
      throw invalidRequest('This authorization request is already finished; go back to the application and sign in again');
    }
    if (!answer) {
      const denied = accessDenied('The user denied the authorization request on the consent page');
      return errorResponseUrl(request, settings.issuer(), denied, responseModeOf(request.responseType));
    }
    repos.consents.grant(user.uuid, request.client.id, request.scope, clock.now());
    return answer();
  });
}

/** Remembers the consent and answers the client (used by the consent page and INTERACTIVE_LOGIN=false). */
export async function approve(request: AuthorizationRequest, user: User, deps: ProtocolDeps): Promise<string> {
  const answer = await prepareAnswer(request, user.uuid, deps);
  return deps.repos.transaction(() => {
    deps.repos.consents.grant(user.uuid, request.client.id, request.scope, deps.clock.now());
    return answer();
  });
}

/**
 * Does the asynchronous part of an approval first (signing the implicit grant's token), and
 * returns the synchronous part, which saves the code or token and builds the redirect inside
 * the caller's transaction.
 */
async function prepareAnswer(request: AuthorizationRequest, userUuid: string, deps: ProtocolDeps): Promise<() => string> {
  if (request.responseType === 'token') return prepareImplicitResponse(request, userUuid, deps);
  return () => issueAuthorizationCode(request, userUuid, deps);
}
