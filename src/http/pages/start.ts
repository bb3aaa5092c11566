import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { DEMO_SEED } from '../../seed/demo.js';
import { documented, htmlPage } from '../schemas.js';

const schema = documented({
  tags: ['Pages'],
  summary: 'The start page',
  description: 'The issuer, the users (with the password of the built-in demo users), the clients, and links to the playground, the console and this description.',
  response: { 200: htmlPage('The start page') },
});

/**
 * The password to show next to a user on the start page: the built-in demo password (SPEC §3),
 * and only for a user whose stored hash still verifies against it (a seed file or the console
 * may have changed it). Any other password is unknown here: only its argon2 hash is stored.
 * Each hash is checked once: argon2 is slow on purpose.
 */
function demoPasswords(context: AppContext) {
  const candidates = new Map((DEMO_SEED.users ?? []).map((u) => [u.email.toLowerCase(), u.password]));
  const checked = new Map<string, boolean>();
  return async (email: string): Promise<string | undefined> => {
    const password = candidates.get(email.toLowerCase());
    const stored = password && context.repos.users.findPasswordHash(email)?.passwordHash;
    if (!password || !stored) return undefined;
    const key = `${stored}\n${password}`;
    if (!checked.has(key)) {
      if (checked.size >= 100) checked.clear();
      checked.set(key, await context.passwords.verify(stored, password));
    }
    return checked.get(key) ? password : undefined;
  };
}

/** GET /: the start page (SPEC §13): issuer, demo logins, clients, links. */
export async function startRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const demoPasswordOf = demoPasswords(context);
  app.get('/', schema, async (_request, reply) => {
    const users = await Promise.all(
      context.repos.users.list().map(async (u) => ({
        email: u.email,
        name: [u.firstName, u.lastName].filter(Boolean).join(' '),
        role: u.organizationRole,
        password: await demoPasswordOf(u.email),
      })),
    );
    return reply.header('cache-control', 'no-store').view('start', {
      issuer: context.runtime.issuer,
      users,
      clients: context.repos.clients.list().map((c) => ({ id: c.id, name: c.name, public: c.isPublic, redirectUris: c.redirectUris, grantTypes: c.grantTypes })),
    });
  });
}
