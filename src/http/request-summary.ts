import type { FastifyRequest } from 'fastify';

function stringField(source: unknown, name: string): string | undefined {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) return undefined;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function basicClientId(authorization: string): string | undefined {
  const encoded = authorization.slice(6).trim();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    // RFC 6749 §2.3.1: the id is form-urlencoded; only the part before the colon is read, never the secret
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function bearerClientId(authorization: string): string | undefined {
  const payload = authorization.slice(7).trim().split('.')[1];
  if (!payload) return undefined;
  try {
    return stringField(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), 'client_id');
  } catch {
    return undefined;
  }
}

/**
 * The client a request names, for logs, metrics and the journal (display only, not authentication):
 * the client its route authenticated; else the HTTP Basic user, the `client_id` parameter (body or
 * query), or the `client_id` claim of a bearer JWT. Secrets are never read.
 */
export function clientIdOf(request: FastifyRequest): string | null {
  if (request.authenticatedClientId !== null) return request.authenticatedClientId;
  const authorization = request.headers.authorization ?? '';
  const id =
    (/^basic /i.test(authorization) ? basicClientId(authorization) : undefined) ??
    stringField(request.body, 'client_id') ??
    stringField(request.query, 'client_id') ??
    (/^bearer /i.test(authorization) ? bearerClientId(authorization) : undefined);
  return id === undefined ? null : id.slice(0, 200);
}

/** The grant_type of a token request, or null. */
export function grantTypeOf(request: FastifyRequest, path: string): string | null {
  if (path !== '/oauth2/token') return null;
  return stringField(request.body, 'grant_type')?.slice(0, 100) ?? null;
}
