import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { RESPONSE_TYPES } from '../../oauth/authorization.js';
import { serverMetadata } from '../../oauth/metadata.js';
import { VERSION } from '../../paths.js';
import { documented } from '../schemas.js';

const uris = { type: 'array', items: { type: 'string' } } as const;

const metadataSchema = (summary: string) =>
  documented({
    tags: ['Discovery'],
    summary,
    description: 'Built from what this server serves: its endpoints, grant types, response types, scopes and client authentication methods.',
    response: {
      200: {
        type: 'object',
        description: 'RFC 8414 §2 metadata',
        properties: {
          issuer: { type: 'string' },
          authorization_endpoint: { type: 'string' },
          token_endpoint: { type: 'string' },
          jwks_uri: { type: 'string' },
          device_authorization_endpoint: { type: 'string' },
          revocation_endpoint: { type: 'string' },
          introspection_endpoint: { type: 'string' },
          scopes_supported: uris,
          response_types_supported: uris,
          response_modes_supported: uris,
          grant_types_supported: uris,
          token_endpoint_auth_methods_supported: uris,
          revocation_endpoint_auth_methods_supported: uris,
          introspection_endpoint_auth_methods_supported: uris,
          code_challenge_methods_supported: { type: 'array', items: { type: 'string', enum: ['S256'] } },
          authorization_response_iss_parameter_supported: { type: 'boolean' },
          service_documentation: { type: 'string', description: '$ISSUER/docs' },
        },
      },
    },
  });

const jwksSchema = documented({
  tags: ['Discovery'],
  summary: 'The public signing keys (RFC 7517)',
  description: 'The active RS256 key and the retired ones, so tokens signed before a rotation still verify.',
  response: {
    200: {
      type: 'object',
      description: 'A JWK Set',
      properties: {
        keys: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              kty: { type: 'string', enum: ['RSA'] },
              kid: { type: 'string' },
              alg: { type: 'string', enum: ['RS256'] },
              use: { type: 'string', enum: ['sig'] },
              n: { type: 'string' },
              e: { type: 'string' },
            },
          },
        },
      },
    },
  },
});

const health = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    version: { type: 'string' },
    database: { type: 'string', enum: ['ok', 'unavailable'] },
  },
} as const;

const healthSchema = documented({
  tags: ['Operations'],
  summary: 'Health: up, with its database',
  response: { 200: { ...health, description: 'Ready' }, 503: { ...health, description: 'The database does not answer' } },
});

/** Discovery (RFC 8414), keys (RFC 7517) and health (SPEC §6.6). */
export async function wellKnownRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const metadata = () =>
    serverMetadata({
      issuer: context.runtime.issuer,
      // token endpoint grants, then those served by /authorize alone (implicit)
      grantTypes: [...new Set([...context.grants.grantTypes, ...Object.values(RESPONSE_TYPES)])],
      responseTypes: Object.keys(RESPONSE_TYPES),
      scopes: [...new Set(context.repos.clients.list().flatMap((c) => c.scopes))],
      endpoints: {
        device_authorization_endpoint: '/oauth2/device-code',
        revocation_endpoint: '/oauth2/revoke',
        introspection_endpoint: '/oauth2/introspect',
      },
    });
  const cacheable = 'public, max-age=60';
  app.get('/.well-known/oauth-authorization-server', metadataSchema('Authorization server metadata (RFC 8414)'), async (_request, reply) => reply.header('cache-control', cacheable).send(metadata()));
  // for client libraries that only look up OpenID Connect discovery
  app.get('/.well-known/openid-configuration', metadataSchema('The same metadata, where OpenID Connect libraries look'), async (_request, reply) => reply.header('cache-control', cacheable).send(metadata()));
  app.get('/.well-known/jwks.json', jwksSchema, async (_request, reply) => reply.header('cache-control', cacheable).send(context.keys.jwks()));
  // prepared once: .get() throws as prepare() would once the database is closed or unreadable
  const ping = context.db.$client.prepare('select 1');
  app.get('/healthz', healthSchema, async (_request, reply) => {
    let database = 'ok';
    try {
      ping.get();
    } catch {
      database = 'unavailable';
    }
    return reply.code(database === 'ok' ? 200 : 503).send({ status: database === 'ok' ? 'ok' : 'unavailable', version: VERSION, database });
  });
}
