import type { AuthenticatedClient } from '../client-authentication.js';
import type { ProtocolDeps } from '../ports.js';
import type { Params } from '../request-parameters.js';
import type { TokenResponse } from '../token-issuer.js';

export interface GrantRequest {
  /** The authenticated client; the registry has already checked it may use this grant. */
  client: AuthenticatedClient;
  params: Params;
}

/** One grant type of the token endpoint (RFC 6749 §4, §6; RFC 8628 §3.4). */
export interface GrantHandler {
  grantType: string;
  /** Whether a client of this kind may ever use the grant (e.g. no public client_credentials). */
  allowsPublicClients: boolean;
  handle(request: GrantRequest, deps: ProtocolDeps): Promise<TokenResponse>;
}
