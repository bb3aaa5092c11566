import { STATUS_CODES } from 'node:http';

/**
 * One HTTP exchange as the playground shows it (SPEC §13): what went over the wire, as text a
 * person can read and a `curl` line that repeats it. Pure functions, no Fastify: unit-tested.
 */
export interface HttpRequestRecord {
  method: string;
  /** Absolute URL at the issuer, as a client would call it. */
  url: string;
  /** In the order sent, names as sent. */
  headers: Array<[string, string]>;
  body?: string;
}

export interface HttpResponseRecord {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export interface HttpExchange {
  request: HttpRequestRecord;
  response: HttpResponseRecord;
}

/** Headers curl sets on its own: repeating them would only add noise (or a wrong length). */
const CURL_OWN_HEADERS = new Set(['host', 'user-agent', 'content-length', 'accept', 'connection']);

/**
 * POSIX shell single-quoting: everything between single quotes is literal, and a single quote is
 * closed, escaped and reopened (`'\''`). Plain words are left bare for readability.
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A `curl` command that repeats the request exactly (status line and headers shown with -i). */
export function curlCommand(request: HttpRequestRecord): string {
  const impliedMethod = request.body === undefined ? 'GET' : 'POST';
  const parts: string[] = [`curl -i${request.method !== impliedMethod ? ` -X ${shellQuote(request.method)}` : ''} ${shellQuote(request.url)}`];
  for (const [name, value] of request.headers) {
    if (!CURL_OWN_HEADERS.has(name.toLowerCase())) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  // --data-raw: a body starting with @ must not be read as a file name
  if (request.body !== undefined) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(' \\\n  ');
}

/** The request as HTTP/1.1 text: request line, headers, blank line, body. */
export function formatRequest(request: HttpRequestRecord): string {
  const url = new URL(request.url);
  const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`, ...request.headers.map(([n, v]) => `${n}: ${v}`)];
  return `${lines.join('\n')}\n${request.body !== undefined ? `\n${request.body}` : ''}`;
}

/** The response as HTTP/1.1 text: status line, headers, blank line, body (as received). */
export function formatResponse(response: HttpResponseRecord): string {
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd(), ...response.headers.map(([n, v]) => `${n}: ${v}`)];
  return `${lines.join('\n')}\n${response.body ? `\n${response.body}` : ''}`;
}

/** A JSON body, parsed; undefined for anything else (an HTML page, an empty body). */
export function jsonBody(body: string): unknown {
  try {
    return body.trim() ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

/** Indented JSON when the body is JSON (for reading), else undefined. */
export function prettyJson(body: string): string | undefined {
  const parsed = jsonBody(body);
  return parsed === undefined ? undefined : JSON.stringify(parsed, null, 2);
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The header and claims of a compact JWS, decoded WITHOUT verifying the signature (that is the
 * resource server's job, with the JWKS); undefined when the value is not a JWT.
 */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] === undefined || parts[1] === undefined) return undefined;
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  return header && claims ? { header, claims } : undefined;
}

/** The times of a JWT (iat, nbf, exp) as ISO dates next to their Unix seconds. */
export function claimTimes(claims: Record<string, unknown>): Array<{ name: string; seconds: number; iso: string }> {
  return ['iat', 'nbf', 'exp'].flatMap((name) => {
    const seconds = claims[name];
    return typeof seconds === 'number' && Number.isFinite(seconds) && Math.abs(seconds) < 1e11 ? [{ name, seconds, iso: new Date(seconds * 1000).toISOString() }] : [];
  });
}
