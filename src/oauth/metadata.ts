import { KNOWN_SCOPES } from './scope.js';

export interface MetadataInput {
  issuer: string;
  grantTypes: string[];
  responseTypes: string[];
  scopes: string[];
  endpoints: Partial<Record<'device_authorization_endpoint' | 'revocation_endpoint' | 'introspection_endpoint', string>>;
}

const CLIENT_AUTH = ['client_secret_basic', 'client_secret_post', 'none'];

export const IMPLICIT_DEPRECATED =
  'response_type=token (the implicit grant) is deprecated (RFC 9700 §2.1.2) and served only to clients registered for it; use the authorization code grant with PKCE';

/** RFC 8414 §2 authorization server metadata, derived from what this server actually serves. */
export function serverMetadata(input: MetadataInput) {
  const { issuer } = input;
  const endpoints: Record<string, string> = {};
  for (const [name, path] of Object.entries(input.endpoints)) endpoints[name] = `${issuer}${path}`;
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    ...endpoints,
    scopes_supported: [...new Set([...KNOWN_SCOPES, ...input.scopes])],
    response_types_supported: input.responseTypes,
    response_modes_supported: ['query', ...(input.responseTypes.includes('token') ? ['fragment'] : [])],
    grant_types_supported: input.grantTypes,
    token_endpoint_auth_methods_supported: CLIENT_AUTH,
    ...(input.endpoints.revocation_endpoint ? { revocation_endpoint_auth_methods_supported: CLIENT_AUTH } : {}),
    // RFC 7662 §2.1: introspection needs a client that can authenticate, so not `none`
    ...(input.endpoints.introspection_endpoint ? { introspection_endpoint_auth_methods_supported: CLIENT_AUTH.filter((m) => m !== 'none') } : {}),
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${issuer}/docs`,
    // not an RFC 8414 member (§2 allows additional ones): tells a reader why `token` is listed
    ...(input.responseTypes.includes('token') ? { 'x-deprecated': { implicit: IMPLICIT_DEPRECATED } } : {}),
  };
}
