import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { authenticateBearer } from '../../oauth/bearer.js';
import { insufficientScope } from '../../oauth/errors.js';
import { userResource } from '../../oauth/user-resource.js';

/** GET and POST /me (SPEC §6.5): Askara's User resource for the token's user; needs `profile`. */
export async function meRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { token } = await authenticateBearer(request.headers.authorization, 'profile', context.protocol);
    const user = token.userUuid ? context.repos.users.findByUuid(token.userUuid) : undefined;
    if (!user) {
      throw insufficientScope(
        token.userUuid
          ? 'The user of this access token no longer exists'
          : 'This access token was issued to a client (client_credentials) and acts for no user; /me needs a user\'s token',
        { headers: { 'WWW-Authenticate': 'Bearer realm="askara-emulator", error="insufficient_scope"' } },
      );
    }
    const organization = context.repos.users.organizationOf(user);
    return reply.header('cache-control', 'no-store').send(userResource(user, organization, token.scope));
  };
  app.get('/me', handler);
  app.post('/me', handler);
}
