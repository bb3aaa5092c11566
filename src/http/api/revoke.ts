import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { authenticateClient } from '../../oauth/client-authentication.js';
import { Params } from '../../oauth/request-parameters.js';
import { revokeToken } from '../../oauth/revocation.js';
import { BODY_TYPES, clientCredentials, documented, errors, tokenBody } from '../schemas.js';

const schema = documented({
  tags: ['OAuth'],
  summary: 'Revoke an access or refresh token (RFC 7009)',
  description: 'Revoking a refresh token revokes its whole family. Always 200 with an empty body for a well-formed request, whether or not the token was known.',
  consumes: BODY_TYPES,
  security: clientCredentials,
  body: tokenBody('The token to revoke'),
  response: { 200: { type: 'null', description: 'Revoked, or nothing to revoke (empty body)' }, ...errors(400, 401, 429) },
});

/** POST /oauth2/revoke (RFC 7009, SPEC §6.6): client-authenticated; 200 for every well-formed request. */
export async function revocationRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/oauth2/revoke', schema, async (request, reply) => {
    const params = Params.from(request.body);
    const { client } = authenticateClient({ authorization: request.headers.authorization, params }, context.repos.clients);
    request.authenticatedClientId = client.id;
    const outcome = await revokeToken({ client, params }, context.protocol);
    request.log.info({ clientId: client.id, outcome }, 'revocation');
    // RFC 7009 §2.2: "The content of the response body is ignored by the client"
    return reply.code(200).header('cache-control', 'no-store').header('pragma', 'no-cache').send();
  });
}
