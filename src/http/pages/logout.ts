import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { Params } from '../../oauth/request-parameters.js';
import { endSession } from '../plugins/session.js';
import { documented, formBody, htmlPage, redirect } from '../schemas.js';

/** The pages a logout may return to: the one the "Log out" button was on (never another site). */
const RETURN_TO = /^\/(?:interaction\/[\w-]{1,64}|device\/confirm\?user_code=[A-Z]{4}-?[A-Z]{4})$/;

const logoutSchema = documented({
  tags: ['Pages'],
  summary: 'Log out (the "Log out" button of the consent pages)',
  consumes: ['application/x-www-form-urlencoded'],
  body: formBody({ return_to: { type: 'string', description: 'The page to go back to: /interaction/{id} or /device/confirm?user_code=…; anything else goes to /' } }, []),
  response: {
    303: redirect('Back to the page the button was on, now asking for a login, or to the start page'),
    403: htmlPage('The form was sent without a valid CSRF token'),
  },
});

/**
 * POST /logout (the "Not you? Log out" button of the consent pages): deletes the session on the
 * server, clears its cookie, and goes back (303) to the page it came from, now asking for a
 * login; any other `return_to` goes to the start page, so this is no open redirector.
 */
export async function logoutRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/logout', { ...logoutSchema, preHandler: app.csrfProtection }, async (request, reply) => {
    const returnTo = Params.from(request.body).get('return_to');
    endSession(request, reply, context);
    request.log.info('logged out');
    return reply.header('cache-control', 'no-store').redirect(returnTo !== undefined && RETURN_TO.test(returnTo) ? returnTo : '/', 303);
  });
}
