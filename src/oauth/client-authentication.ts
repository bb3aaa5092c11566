import { verifyClientSecret } from '../shared/random.js';
import { invalidClient, invalidRequest, type OAuthError } from './errors.js';
import type { Client, ClientRepository } from './ports.js';
import type { Params } from './request-parameters.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface AuthenticatedClient {
  client: Client;
  method: ClientAuthMethod;
}

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="askara-emulator", charset="UTF-8"' };

/** RFC 6749 §2.3.1: client_id and client_secret are form-urlencoded before Basic encoding. */
function formDecode(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, ' '));
}

function parseBasic(header: string): { id: string; secret: string } {
  const fail = (hint: string): OAuthError => invalidClient(hint, { headers: BASIC_CHALLENGE });
  const encoded = header.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw fail('The Authorization: Basic header is not valid base64');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw fail('The Authorization: Basic credentials must be "client_id:client_secret"');
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw fail('The Authorization: Basic credentials are not valid form-urlencoded text (RFC 6749 §2.3.1)');
  }
}

/**
 * Authenticates the client of a token, revocation or introspection request (RFC 6749 §2.3):
 * HTTP Basic, or client_id + client_secret in the body, or client_id alone for a public client.
 */
export function authenticateClient(
  input: { authorization: string | undefined; params: Params },
  clients: ClientRepository,
): AuthenticatedClient {
  const { authorization, params } = input;
  const basic = authorization && /^basic /i.test(authorization) ? parseBasic(authorization) : undefined;
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  const headers = basic ? BASIC_CHALLENGE : undefined;

  // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
  if (basic && bodySecret !== undefined) {
    throw invalidRequest('The client authenticated twice: send client_secret either in the Authorization header or in the body, not both');
  }
  if (basic && bodyId !== undefined && bodyId !== basic.id) {
    throw invalidRequest(`client_id \`${bodyId}\` in the body differs from \`${basic.id}\` in the Authorization header`);
  }
  const clientId = basic?.id ?? bodyId;
  if (clientId === undefined) {
    throw invalidClient('No client authentication: send client_id (and client_secret for a confidential client) in the body or as HTTP Basic');
  }
  const found = clients.findWithSecretHash(clientId);
  if (!found) throw invalidClient(`No client is registered with client_id \`${clientId}\``, { headers });

  const secret = basic ? basic.secret : bodySecret;
  const { client, secretHash } = found;
  if (secretHash === null) {
    if (secret) {
      throw invalidClient(`Client \`${clientId}\` is public and has no secret: send client_id alone (and PKCE for the code flow)`, { headers });
    }
    return { client, method: 'none' };
  }
  if (!secret) {
    throw invalidClient(`Client \`${clientId}\` is confidential: send its client_secret in the body or as HTTP Basic`, { headers });
  }
  if (!verifyClientSecret(secret, secretHash)) {
    throw invalidClient(`The client_secret does not match the one registered for \`${clientId}\``, { headers });
  }
  return { client, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}
