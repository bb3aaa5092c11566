import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { Params } from '../../oauth/request-parameters.js';
import { endSession } from '../plugins/session.js';
import { formSchema } from '../schemas.js';

/** The pages a logout may return to: the one the "Log out" button was on (never another site). */
const RETURN_TO = /^\/(?:interaction\/[\w-]{1,64}|device\/confirm\?user_code=[A-Z]{4}-?[A-Z]{4})$/;

/**
 * POST /logout (the "Not you? Log out" button of the consent pages): deletes the session on the
 * server, clears its cookie, and goes back (303) to the page it came from, now asking for a
 * login; any other `return_to` goes to the start page, so this is no open redirector.
 */
export async function logoutRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/logout', { ...formSchema('Pages', 'Log out ("Not you? Log out" on the consent pages)', { return_to: 'The page to go back to' }, { then: 'Back to that page, now asking for a login; else to the start page' }), preHandler: app.csrfProtection }, async (request, reply) => {
    const returnTo = Params.from(request.body).get('return_to');
    endSession(request, reply, context);
    request.log.info('logged out');
    return reply.header('cache-control', 'no-store').redirect(returnTo !== undefined && RETURN_TO.test(returnTo) ? returnTo : '/', 303);
  });
}
