import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

/** GET /: the start page (SPEC §13): issuer, demo logins, links. */
export async function startRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.get('/', async (_request, reply) =>
    reply.view('start', {
      issuer: context.runtime.issuer,
      users: context.repos.users.list().map((u) => ({ email: u.email, name: [u.firstName, u.lastName].filter(Boolean).join(' ') })),
      clients: context.repos.clients.list().map((c) => ({ id: c.id, name: c.name, public: c.isPublic })),
    }),
  );
}
