import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { authenticateClient } from '../../oauth/client-authentication.js';
import { invalidClient } from '../../oauth/errors.js';
import { introspectToken } from '../../oauth/introspection.js';
import { Params } from '../../oauth/request-parameters.js';

/** POST /oauth2/introspect (RFC 7662, SPEC §6.6): for confidential clients, about their own tokens. */
export async function introspectionRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/oauth2/introspect', async (request, reply) => {
    const params = Params.from(request.body);
    const { client, method } = authenticateClient({ authorization: request.headers.authorization, params }, context.repos.clients);
    // RFC 7662 §2.1: "the endpoint MUST also require some form of authorization to access this
    // endpoint"; a public client's bare client_id authorizes nothing
    if (method === 'none') {
      throw invalidClient(`Introspection needs client authentication (RFC 7662 §2.1); client \`${client.id}\` is public and has no secret to authenticate with`);
    }
    const answer = await introspectToken({ client, params }, context.protocol);
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(answer);
  });
}
