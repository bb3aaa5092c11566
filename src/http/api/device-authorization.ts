import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { authorizeDevice } from '../../oauth/device-authorization.js';
import { Params } from '../../oauth/request-parameters.js';
import { BODY_TYPES, clientCredentials, clientFields, documented, errors } from '../schemas.js';

const schema = (summary: string) =>
  documented({
    tags: ['OAuth'],
    summary,
    description: 'Starts a device flow for a client that lists the device_code grant; the device then polls /oauth2/token.',
    consumes: BODY_TYPES,
    security: clientCredentials,
    body: {
      type: 'object',
      required: ['client_id'],
      properties: { ...clientFields, scope: { type: 'string', description: 'Space-separated scopes, e.g. `profile organization`' } },
    },
    response: {
      200: {
        type: 'object',
        description: 'RFC 8628 §3.2',
        properties: {
          device_code: { type: 'string', description: 'For the device, to poll /oauth2/token with' },
          user_code: { type: 'string', description: 'For the person: 8 letters shown as XXXX-XXXX', examples: ['WDJB-MJHT'] },
          verification_uri: { type: 'string', description: '$ISSUER/device' },
          expires_in: { type: 'integer', description: 'seconds (DEVICE_CODE_TTL)' },
          verification_uri_complete: { type: 'string', description: '$ISSUER/device?user_code=…' },
          interval: { type: 'integer', description: 'seconds between polls' },
        },
      },
      ...errors(400, 401, 429),
    },
  });

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
  app.post('/oauth2/device-code', schema('Start a device authorization (RFC 8628 §3.1)'), handler);
  app.post('/oauth2/device_authorization', schema('Start a device authorization (alias of /oauth2/device-code)'), handler);
}
