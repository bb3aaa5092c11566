import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { authenticateClient } from '../../oauth/client-authentication.js';
import { Params } from '../../oauth/request-parameters.js';

/** POST /oauth2/token (RFC 6749 §3.2): parse → grant type → client authentication → grant. */
export async function tokenRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/oauth2/token', async (request, reply) => {
    const params = Params.from(request.body);
    const grantType = params.require('grant_type', `one of: ${context.grants.grantTypes.join(', ')}`);
    const handler = context.grants.handlerFor(grantType);
    const client = authenticateClient({ authorization: request.headers.authorization, params }, context.repos.clients);
    const response = await context.grants.exchange(handler, { client, params }, context.protocol);
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  });
}
