import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { mintTokens } from '../../oauth/mint-tokens.js';
import { Params } from '../../oauth/request-parameters.js';

/** POST /_emulator/tokens (SPEC §8): a token pair for a client and user, without any flow. */
export async function tokenMintRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/tokens', async (request, reply) => {
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
