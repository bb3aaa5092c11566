import type { AuthenticatedClient } from '../client-authentication.js';
import { unauthorizedClient, unsupportedGrantType } from '../errors.js';
import type { ProtocolDeps } from '../ports.js';
import type { Params } from '../request-parameters.js';
import type { TokenResponse } from '../token-issuer.js';
import { authorizationCodeGrant } from './authorization-code.js';
import { DEVICE_CODE_GRANT, deviceCodeGrant } from './device-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import type { GrantHandler } from './grant.js';
import { passwordGrant } from './password.js';
import { refreshTokenGrant } from './refresh-token.js';

export { DEVICE_CODE_GRANT };

/** Every grant type a seed may name (SPEC §3); the ones without a handler answer unsupported_grant_type. */
export const KNOWN_GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  DEVICE_CODE_GRANT,
  'client_credentials',
  'password',
  'implicit',
] as const;

export class GrantRegistry {
  readonly #handlers = new Map<string, GrantHandler>();

  constructor(handlers: readonly GrantHandler[]) {
    for (const h of handlers) this.#handlers.set(h.grantType, h);
  }

  get grantTypes(): string[] {
    return [...this.#handlers.keys()];
  }

  /** The handler for a grant_type, or unsupported_grant_type. */
  handlerFor(grantType: string): GrantHandler {
    const handler = this.#handlers.get(grantType);
    if (!handler) {
      throw unsupportedGrantType(`grant_type \`${grantType.slice(0, 80)}\` is not supported; use one of: ${this.grantTypes.join(', ')}`);
    }
    return handler;
  }

  /** Runs the grant for an authenticated client, after checking the client may use it. */
  async exchange(
    handler: GrantHandler,
    request: { client: AuthenticatedClient; params: Params },
    deps: ProtocolDeps,
  ): Promise<TokenResponse> {
    const { client } = request.client;
    if (client.isPublic && !handler.allowsPublicClients) {
      throw unauthorizedClient(`grant_type ${handler.grantType} needs a confidential client; \`${client.id}\` is public (it has no secret)`);
    }
    if (!client.grantTypes.includes(handler.grantType)) {
      throw unauthorizedClient(
        `Client \`${client.id}\` is not registered for grant_type ${handler.grantType}; its grant types are: ${client.grantTypes.join(', ')}`,
      );
    }
    return handler.handle(request, deps);
  }
}

export function createGrantRegistry(): GrantRegistry {
  return new GrantRegistry([authorizationCodeGrant, refreshTokenGrant, deviceCodeGrant, clientCredentialsGrant, passwordGrant]);
}
