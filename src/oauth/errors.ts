/**
 * The one error type of the protocol core (SPEC §5). Every failure a client can cause is an
 * OAuthError with an RFC error code, a client-safe description and a `hint` that tells the
 * integrator exactly what was wrong (never a secret). The HTTP layer turns it into JSON, a
 * redirect or a page; anything else that escapes is a `server_error`.
 */

export type OAuthErrorCode =
  // RFC 6749 §4.1.2.1, §5.2
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  // RFC 8628 §3.5
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  // RFC 7009 §2.2.1
  | 'unsupported_token_type'
  // RFC 6750 §3.1
  | 'invalid_token'
  | 'insufficient_scope'
  // RFC 6585 §4: an empty rate-limit bucket (SPEC §7)
  | 'too_many_requests';

/** Descriptions follow league/oauth2-server, which Askara runs (reference notes §11). */
const DESCRIPTIONS: Record<OAuthErrorCode, string> = {
  invalid_request:
    'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
  invalid_client: 'Client authentication failed',
  invalid_grant:
    'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  unauthorized_client: 'The client is not authorized to use this authorization grant type.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  unsupported_response_type: 'The authorization server does not support obtaining a response using this method.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed',
  access_denied: 'The resource owner or authorization server denied the request.',
  server_error: 'The authorization server encountered an unexpected condition that prevented it from fulfilling the request.',
  temporarily_unavailable: 'The authorization server is temporarily unable to handle the request.',
  authorization_pending:
    "The authorization request is still pending as the end user hasn't yet completed the user interaction steps. The client SHOULD repeat the Access Token Request to the token endpoint",
  slow_down:
    'The authorization request is still pending and polling should continue, but the interval MUST be increased by 5 seconds for this and all subsequent requests.',
  expired_token: 'The `device_code` has expired and the device authorization session has concluded.',
  unsupported_token_type: 'The authorization server does not support the revocation of the presented token type.',
  invalid_token: 'The access token provided is expired, revoked, malformed, or invalid for other reasons.',
  insufficient_scope: 'The request requires higher privileges than provided by the access token.',
  too_many_requests: 'Too many requests: the rate limit of this client is exhausted.',
};

export function statusOf(code: OAuthErrorCode): number {
  switch (code) {
    case 'invalid_client':
    case 'invalid_token':
      return 401;
    case 'insufficient_scope':
      return 403;
    case 'too_many_requests':
      return 429;
    case 'server_error':
      return 500;
    case 'temporarily_unavailable':
      return 503;
    default:
      return 400;
  }
}

export interface OAuthErrorOptions {
  /** Overrides the standard description (e.g. Askara's "The authorization code has expired"). */
  description?: string;
  /** Logged, never sent. */
  detail?: string;
  /** Overrides the status derived from the code. */
  status?: number;
  /** HTTP headers the response must carry (WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class OAuthError extends Error {
  override name = 'OAuthError';
  readonly status: number;
  readonly description: string;
  readonly detail: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: OAuthErrorCode,
    readonly hint: string,
    options: OAuthErrorOptions = {},
  ) {
    super(`${code}: ${hint}`, { cause: options.cause });
    this.status = options.status ?? statusOf(code);
    this.description = options.description ?? DESCRIPTIONS[code];
    this.detail = options.detail;
    this.headers = options.headers ?? {};
  }

  /** The JSON body of SPEC §5, keys in this order. */
  toJSON(): { error: OAuthErrorCode; error_description: string; hint: string } {
    return { error: this.code, error_description: this.description, hint: this.hint };
  }
}

type Factory = (hint: string, options?: OAuthErrorOptions) => OAuthError;
const factory =
  (code: OAuthErrorCode): Factory =>
  (hint, options) =>
    new OAuthError(code, hint, options);

export const invalidRequest = factory('invalid_request');
export const invalidClient = factory('invalid_client');
export const invalidGrant = factory('invalid_grant');
export const unauthorizedClient = factory('unauthorized_client');
export const unsupportedGrantType = factory('unsupported_grant_type');
export const unsupportedResponseType = factory('unsupported_response_type');
export const invalidScope = factory('invalid_scope');
export const accessDenied = factory('access_denied');
export const serverError = factory('server_error');
export const authorizationPending = factory('authorization_pending');
export const slowDown = factory('slow_down');
export const expiredToken = factory('expired_token');
export const invalidToken = factory('invalid_token');
export const insufficientScope = factory('insufficient_scope');
