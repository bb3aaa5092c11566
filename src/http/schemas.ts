import type { FastifySchema, FastifySchemaCompiler, RouteShorthandOptions } from 'fastify';

/**
 * The wire contract of every endpoint, as JSON Schema, for the OpenAPI description at /docs
 * (SPEC §13). Shared pieces live here; each route file states its own request and responses.
 *
 * These schemas DESCRIBE; they do not validate or serialize. Every endpoint checks its own input
 * to answer with the precise hint of SPEC §5 (`{error, error_description, hint}`), and replies are
 * plain JSON.stringify, so the token response keeps its exact keys and order. `documented()`
 * therefore gives each route an accept-all validator and a JSON.stringify serializer, route by
 * route: Ajv would otherwise coerce and strip request fields and answer its own messages, and
 * fast-json-stringify would drop any field a response schema does not list.
 */

export const TAGS = [
  { name: 'OAuth', description: 'The authorization server: /authorize, the token endpoint, device authorization, revocation, introspection' },
  { name: 'Resource', description: "Askara's User resource (/me), for a bearer access token" },
  { name: 'Discovery', description: 'RFC 8414 metadata and the JWKS' },
  { name: 'Pages', description: 'HTML for people: start page, login, consent, device verification' },
  { name: 'Playground', description: 'Step through each flow against this server, with every request and response (pages)' },
  { name: 'Console', description: 'Manage clients, users, organizations, grants, the clock and faults (pages; guarded like the control API)' },
  { name: 'Control', description: 'The control API for tests (SPEC §8): ADMIN_TOKEN, or loopback clients when it is unset' },
  { name: 'Operations', description: 'Health and Prometheus metrics' },
] as const;

export type Tag = (typeof TAGS)[number]['name'];

export const SECURITY_SCHEMES = {
  clientBasic: { type: 'http', scheme: 'basic', description: 'client_id and client_secret (RFC 6749 §2.3.1); or send them in the body' },
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from /oauth2/token' },
  adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, when it is set; without it only loopback clients are answered' },
} as const;

const acceptAll: FastifySchemaCompiler<unknown> = () => (value) => ({ value });
const plainJson = () => (data: unknown) => JSON.stringify(data);

/** Route options with a schema that only documents (see above). */
export function documented(schema: FastifySchema & { tags: Tag[]; summary: string }): RouteShorthandOptions {
  return { schema, validatorCompiler: acceptAll, serializerCompiler: plainJson };
}

/** Both body encodings every endpoint takes (SPEC §6). */
export const BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json'];

/** The error body of SPEC §5, on every JSON endpoint. */
export const oauthError = {
  type: 'object',
  description: 'An OAuth error (SPEC §5): the RFC 6749 code, a sentence, and a hint that says what to change',
  required: ['error', 'error_description', 'hint'],
  properties: {
    error: { type: 'string', examples: ['invalid_request'] },
    error_description: { type: 'string' },
    hint: { type: 'string' },
  },
} as const;

/** Error responses by status, each the body of SPEC §5. */
export function errors(...statuses: number[]): Record<number, object> {
  const words: Record<number, string> = {
    400: 'Bad request: the hint names the parameter',
    401: 'The client or token could not be authenticated',
    403: 'Not allowed: wrong scope, not loopback, or disabled',
    404: 'Not found',
    429: 'Rate limit exhausted (Retry-After)',
  };
  return Object.fromEntries(statuses.map((s) => [s, { ...oauthError, description: words[s] ?? 'Error' }]));
}

export const tokenResponse = {
  type: 'object',
  description: 'RFC 6749 §5.1: exactly these keys, in this order; no refresh_token for clients without the refresh_token grant',
  required: ['token_type', 'expires_in', 'access_token'],
  properties: {
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_in: { type: 'integer', description: 'seconds' },
    access_token: { type: 'string', description: 'An RS256 JWT; verify it with /.well-known/jwks.json' },
    refresh_token: { type: 'string', description: 'Opaque, single-use, 1,000 hex characters starting def50200' },
  },
} as const;

/** An HTML page (SPEC §13). */
export function htmlPage(description: string) {
  return { description, content: { 'text/html': { schema: { type: 'string' } } } };
}

/** A redirect, with its Location. */
export function redirect(description: string) {
  return { description, type: 'null', headers: { location: { type: 'string', description: 'where the browser goes next' } } } as const;
}

/** The form fields of a page with CSRF protection (SPEC §7). */
export function formBody(properties: Record<string, { type: 'string'; description: string; enum?: string[] }>, required: string[]) {
  return {
    type: 'object',
    required: ['_csrf', ...required],
    properties: { _csrf: { type: 'string', description: 'The CSRF token of the form (from the page, with its cookie)' }, ...properties },
  } as const;
}

/** The user_code query parameter of the device pages. */
export const userCodeQuery = {
  type: 'object',
  properties: { user_code: { type: 'string', description: 'The code the device shows, e.g. WDJB-MJHT (case and dash are forgiven)' } },
} as const;

/** The guard of the control API (SPEC §2): ADMIN_TOKEN as a bearer token, or nothing from loopback. */
export const adminGuard: Array<Record<string, string[]>> = [{ adminToken: [] }, {}];

/** What the guard of the control API answers. */
export const guardErrors = {
  401: { ...oauthError, description: 'ADMIN_TOKEN is set and the bearer token is missing or wrong' },
  403: { ...oauthError, description: 'ADMIN_TOKEN is unset and the caller is not on loopback' },
};

/** Client authentication: HTTP Basic, or client_id (and client_secret) in the body. */
export const clientCredentials: Array<Record<string, string[]>> = [{ clientBasic: [] }, {}];

/** The client fields of a body, for endpoints that authenticate the client. */
export const clientFields = {
  client_id: { type: 'string', description: 'The client, when not sent by HTTP Basic' },
  client_secret: { type: 'string', description: 'The secret of a confidential client, when not sent by HTTP Basic' },
} as const;

/** The body of revocation (RFC 7009 §2.1) and introspection (RFC 7662 §2.1): one token, a hint, the client. */
export function tokenBody(tokenDescription: string) {
  return {
    type: 'object',
    required: ['token'],
    properties: {
      token: { type: 'string', description: tokenDescription },
      token_type_hint: { type: 'string', enum: ['access_token', 'refresh_token'] },
      ...clientFields,
    },
  } as const;
}

const CSRF_REFUSED = htmlPage('The form was sent without a valid CSRF token');

/** A page for people (GET): HTML, and what else it may answer. */
export function pageSchema(tag: Tag, summary: string, extra: { querystring?: object; responses?: Record<number, object> } = {}): RouteShorthandOptions {
  return documented({
    tags: [tag],
    summary,
    ...(extra.querystring ? { querystring: extra.querystring } : {}),
    response: { 200: htmlPage(summary), ...extra.responses },
  });
}

/** A form of a page (POST, CSRF-protected): it leads on with a 303, or shows the page again saying what to fix. */
export function formSchema(tag: Tag, summary: string, fields: Record<string, string> = {}, extra: { then?: string; responses?: Record<number, object> } = {}): RouteShorthandOptions {
  const properties = Object.fromEntries(Object.entries(fields).map(([name, description]) => [name, { type: 'string' as const, description }]));
  return documented({
    tags: [tag],
    summary,
    consumes: ['application/x-www-form-urlencoded'],
    body: formBody(properties, []),
    response: {
      303: redirect(extra.then ?? 'On to the next page'),
      400: htmlPage('The page again, saying what to fix'),
      403: CSRF_REFUSED,
      ...extra.responses,
    },
  });
}

/** What the guard of the console answers instead of a page (SPEC §2, as the control API). */
export const CONSOLE_GUARD = {
  responses: {
    401: htmlPage('ADMIN_TOKEN is set: the form that asks for it'),
    403: htmlPage('ADMIN_TOKEN is unset and the browser is not on loopback'),
  },
};
