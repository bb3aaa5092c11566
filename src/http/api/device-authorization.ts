import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { authorizeDevice } from '../../oauth/device-authorization.js';
import { Params } from '../../oauth/request-parameters.js';

/**
 * POST /oauth2/device-code (RFC 8628 §3.1, the path of league's bundle that Askara most likely
 * serves) and its RFC-style alias /oauth2/device_authorization; JSON or form bodies (SPEC §6.3).
 */
export async function deviceAuthorizationRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = Params.from(request.body);
    const response = authorizeDevice({ authorization: request.headers.authorization, params }, context.protocol);
    request.log.info({ clientId: params.get('client_id') }, 'device authorization issued');
    // RFC 8628 §3.2 via RFC 6749 §5.1: the response carries codes, so it must not be cached
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  };
  app.post('/oauth2/device-code', handler);
  app.post('/oauth2/device_authorization', handler);
}
