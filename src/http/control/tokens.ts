import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { mintTokens } from '../../oauth/mint-tokens.js';
import { Params } from '../../oauth/request-parameters.js';
import { adminGuard, BODY_TYPES, documented, errors, guardErrors, tokenResponse } from '../schemas.js';

const schema = documented({
  tags: ['Control'],
  summary: 'Mint a token pair without any flow',
  description: 'Shaped as the token endpoint\'s answer, for a registered client and a seeded user.',
  consumes: BODY_TYPES,
  security: adminGuard,
  body: {
    type: 'object',
    required: ['client_id', 'user'],
    properties: {
      client_id: { type: 'string', description: 'A registered client' },
      user: { type: 'string', description: "A seeded user's e-mail or uuid" },
      scope: { type: 'string', description: 'Space-separated; default: the client\'s scopes' },
    },
  },
  response: { 200: tokenResponse, ...errors(400), ...guardErrors },
});

/** POST /_emulator/tokens (SPEC §8): a token pair for a client and user, without any flow. */
export async function tokenMintRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/tokens', schema, async (request, reply) => {
    const params = Params.from(request.body);
    const response = await mintTokens(
      {
        clientId: params.require('client_id', 'the client_id of a registered client'),
        user: params.require('user', "a seeded user's e-mail or uuid"),
        scope: params.get('scope'),
      },
      context.protocol,
    );
    return reply.header('cache-control', 'no-store').send(response);
  });
}
