import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { invalidRequest, type OAuthError } from '../../oauth/errors.js';
import { toOAuthError } from '../errors.js';
import { authorizeRoutes } from './authorize.js';
import { consoleRoutes } from './console/index.js';
import { deviceRoutes } from './device.js';
import { interactionRoutes } from './interaction.js';
import { playgroundRoutes } from './playground/routes.js';
import { logoutRoutes } from './logout.js';
import { startRoutes } from './start.js';

/** Renders the readable error page of SPEC §5 (status 400 unless the error says otherwise). */
export function renderError(reply: FastifyReply, error: OAuthError, title = 'This request cannot be completed') {
  const status = error.status >= 500 ? 500 : error.status === 403 ? 403 : 400;
  const message = status === 500 ? 'The emulator failed unexpectedly; its log has the details.' : error.hint;
  return reply.code(status).header('cache-control', 'no-store').view('error', { title, code: error.code, message });
}

/** The HTML side: /authorize, login and consent pages, the start page. Errors render a page. */
export async function pageRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      request.log.warn({ code: error.code }, 'form refused: CSRF token');
      request.oauthError = invalidRequest('The form was sent without a valid CSRF token (stale page, or sent from another site)', { status: 403 });
      return reply
        .code(403)
        .header('cache-control', 'no-store')
        .view('error', {
          title: 'This form has expired',
          code: 'invalid_request',
          message: 'The form was sent without a valid security token (it may be stale, or sent from another site). Go back, reload the page and try again.',
        });
    }
    const oauth = toOAuthError(error, request);
    request.oauthError = oauth;
    if (oauth.status >= 500) request.log.error({ err: error }, 'page failed');
    else request.log.debug({ error: oauth.code }, 'page refused');
    return renderError(reply, oauth);
  });
  await app.register(startRoutes, { context });
  await app.register(authorizeRoutes, { context });
  await app.register(interactionRoutes, { context });
  await app.register(deviceRoutes, { context });
  await app.register(playgroundRoutes, { context });
  await app.register(consoleRoutes, { context });
  await app.register(logoutRoutes, { context });
}
