import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest, OAuthError, serverError } from '../oauth/errors.js';
import { API_HEADERS } from './security-headers.js';

const CONTENT_TYPES = 'application/json or application/x-www-form-urlencoded';

/**
 * Turns anything a handler or Fastify threw into an OAuthError (SPEC §5): client mistakes that
 * Fastify catches first (bad JSON, body too large, wrong content type) become invalid_request
 * with a precise hint; anything unexpected becomes server_error.
 */
export function toOAuthError(error: unknown, request?: { headers: { 'content-type'?: string | undefined } }): OAuthError {
  if (error instanceof OAuthError) return error;
  const e = error as FastifyError;
  const contentType = request?.headers['content-type'];
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidRequest(`The body is not valid JSON: ${String(e.message).slice(0, 160)}`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidRequest('The body is empty although Content-Type says JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return invalidRequest('The body is larger than this endpoint accepts (64 KiB)', { status: 413 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return invalidRequest(
        contentType
          ? `Content-Type \`${contentType.slice(0, 80)}\` is not accepted here; send ${CONTENT_TYPES}`
          : `The request has a body but no Content-Type; send ${CONTENT_TYPES}`,
      );
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return invalidRequest('The request URL is malformed: its path is not valid percent-encoded UTF-8');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return invalidRequest('A path segment of the request URL is longer than 100 characters; no identifier here is that long');
    default:
      break;
  }
  if (e.validation) return invalidRequest(`The request does not match this endpoint's schema: ${e.message}`);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // SyntaxError from the JSON parser and other client errors Fastify reports
    const hint = e instanceof SyntaxError ? `The body is not valid JSON: ${e.message}` : e.message;
    return invalidRequest(hint.slice(0, 200), { status: e.statusCode === 413 || e.statusCode === 415 ? e.statusCode : 400 });
  }
  return serverError('The emulator failed unexpectedly; the error is in its log', { cause: error });
}

/** Answers `error` as the JSON of SPEC §5 with Cache-Control: no-store, and records it for the request's log line. */
export function sendJsonError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const oauth = toOAuthError(error, request);
  request.oauthError = oauth;
  // the request's one log line (observability plugin) carries the error and hint
  if (oauth.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.debug({ error: oauth.code, detail: oauth.detail }, 'request refused');
  return reply.code(oauth.status).headers(API_HEADERS).headers(oauth.headers).header('cache-control', 'no-store').header('pragma', 'no-cache').send(oauth.toJSON());
}
