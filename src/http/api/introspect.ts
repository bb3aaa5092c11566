import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { authenticateClient } from '../../oauth/client-authentication.js';
import { invalidClient } from '../../oauth/errors.js';
import { introspectToken } from '../../oauth/introspection.js';
import { Params } from '../../oauth/request-parameters.js';
import { BODY_TYPES, clientCredentials, documented, errors, tokenBody } from '../schemas.js';

const schema = documented({
  tags: ['OAuth'],
  summary: "Introspect one of the client's tokens (RFC 7662)",
  description: 'For confidential clients, about their own access and refresh tokens; `{"active": false}` for anything unknown, expired, revoked or another client\'s.',
  consumes: BODY_TYPES,
  security: clientCredentials,
  body: tokenBody('An access or refresh token'),
  response: {
    200: {
      type: 'object',
      description: 'RFC 7662 §2.2: `active`, and for an active token its claims',
      required: ['active'],
      properties: {
        active: { type: 'boolean' },
        scope: { type: 'string' },
        client_id: { type: 'string' },
        sub: { type: 'string' },
        exp: { type: 'integer' },
        iat: { type: 'integer' },
        nbf: { type: 'integer' },
        jti: { type: 'string' },
        token_type: { type: 'string', examples: ['Bearer', 'refresh_token'] },
        iss: { type: 'string' },
        aud: { type: 'string' },
      },
    },
    ...errors(400, 401, 429),
  },
});

/** POST /oauth2/introspect (RFC 7662, SPEC §6.6): for confidential clients, about their own tokens. */
export async function introspectionRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/oauth2/introspect', schema, async (request, reply) => {
    const params = Params.from(request.body);
    const { client, method } = authenticateClient({ authorization: request.headers.authorization, params }, context.repos.clients);
    // RFC 7662 §2.1: "the endpoint MUST also require some form of authorization to access this
    // endpoint"; a public client's bare client_id authorizes nothing
    if (method === 'none') {
      throw invalidClient(`Introspection needs client authentication (RFC 7662 §2.1); client \`${client.id}\` is public and has no secret to authenticate with`);
    }
    request.authenticatedClientId = client.id;
    const answer = await introspectToken({ client, params }, context.protocol);
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(answer);
  });
}
