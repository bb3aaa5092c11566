import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { RESPONSE_TYPES } from '../../oauth/authorization.js';
import { serverMetadata } from '../../oauth/metadata.js';
import { VERSION } from '../../paths.js';

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
  app.get('/.well-known/oauth-authorization-server', async (_request, reply) => reply.header('cache-control', cacheable).send(metadata()));
  // for client libraries that only look up OpenID Connect discovery
  app.get('/.well-known/openid-configuration', async (_request, reply) => reply.header('cache-control', cacheable).send(metadata()));
  app.get('/.well-known/jwks.json', async (_request, reply) => reply.header('cache-control', cacheable).send(context.keys.jwks()));
  app.get('/healthz', async (_request, reply) => {
    let database = 'ok';
    try {
      context.db.$client.prepare('select 1').get();
    } catch {
      database = 'unavailable';
    }
    return reply.code(database === 'ok' ? 200 : 503).send({ status: database === 'ok' ? 'ok' : 'unavailable', version: VERSION, database });
  });
}
