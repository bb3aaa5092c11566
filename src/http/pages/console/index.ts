import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { FormValues } from '../../../console/form.js';
import { OAuthError } from '../../../oauth/errors.js';
import { clockState } from '../../control/clock.js';
import { consoleActivityRoutes } from './activity.js';
import { consoleClientRoutes } from './clients.js';
import { consoleFaultRoutes } from './faults.js';
import { consoleGrantRoutes } from './grants.js';
import { guessingAddress, throwIfGuessing } from '../../control/guard.js';
import { ADMIN_COOKIE, checkConsoleAccess, forgetAdmin, isAdminToken, rememberAdmin } from './guard.js';
import { consoleOrganizationRoutes } from './organizations.js';
import { consolePage, doneUrl, noticeOf, notFound } from './render.js';
import { consoleUserRoutes } from './users.js';
import { CONSOLE_GUARD, formSchema, htmlPage, pageSchema } from '../../schemas.js';

/** Only a console page is a place to go back to after the token form (no open redirect). */
function nextOf(value: string): string {
  return /^\/console(\/[\w\-./]*)?(\?[\w\-.%=&]*)?$/.test(value) && !value.includes('//') && !value.includes('..') ? value : '/console';
}

/**
 * /console (SPEC §13): clients, users, organizations, grants and tokens, requests, clock, faults.
 * Guarded like the control API (SPEC §2); a browser gives ADMIN_TOKEN once through a form and
 * keeps an HttpOnly, SameSite=Strict cookie. Every form has a CSRF token and works without JavaScript.
 */
export async function consoleRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const protection = { preHandler: app.csrfProtection };
  const adminToken = context.config.adminToken;

  const refused = async (request: FastifyRequest, reply: FastifyReply, error: OAuthError, retry?: { next: string }) => {
    request.oauthError = error;
    reply.code(error.status).header('cache-control', 'no-store');
    if (error.status === 401 && adminToken !== undefined) {
      await reply.view('console-login', {
        csrf: reply.generateCsrf(),
        next: retry?.next ?? nextOf(request.method === 'GET' ? request.url : '/console'),
        error: retry ? 'That is not the admin token.' : request.cookies[ADMIN_COOKIE] ? 'The admin token has changed: type it again.' : undefined,
      });
    } else {
      if (error.status === 429) reply.headers(error.headers);
      await reply.view('error', {
        title: 'The console is not available here',
        code: error.code,
        message:
          error.status === 429
            ? `${error.hint}.`
            : 'The console answers only this machine (loopback) when ADMIN_TOKEN is not set. Set ADMIN_TOKEN on the emulator to open it from elsewhere.',
      });
    }
    return reply;
  };

  app.post('/console/login', { ...formSchema('Console', 'Give the console the admin token (when ADMIN_TOKEN is set)', { token: 'Admin token', next: 'The console page to go back to' }, { then: 'Back to the console page', responses: { 401: htmlPage('The token form again: not the admin token') } }), ...protection }, async (request, reply) => {
    const form = FormValues.from(request.body);
    const next = nextOf(form.text('next', 500));
    if (adminToken === undefined) return reply.redirect(next, 303);
    const address = guessingAddress(request);
    try {
      throwIfGuessing(context.adminGuesses, address);
    } catch (e) {
      if (e instanceof OAuthError) return refused(request, reply, e);
      throw e;
    }
    if (!isAdminToken(form.text('token', 1000), adminToken)) {
      context.adminGuesses.recordFailure({ address });
      // never the typed value: it may be a real token mistyped by one character
      request.log.warn({ address: request.ip }, 'console: admin token refused');
      return refused(request, reply, new OAuthError('invalid_token', 'The admin token typed into the console does not match ADMIN_TOKEN'), { next });
    }
    rememberAdmin(reply, context, adminToken);
    request.log.info({ address: request.ip }, 'console: admin token accepted');
    return reply.redirect(next, 303);
  });

  app.post('/console/logout', { ...formSchema('Console', 'Forget the admin token in this browser', {}, { then: 'To /console' }), ...protection }, async (_request, reply) => {
    forgetAdmin(reply, context);
    return reply.redirect('/console', 303);
  });

  await app.register(async (guarded) => {
    guarded.addHook('onRequest', async (request, reply) => {
      try {
        checkConsoleAccess(request, adminToken, context.adminGuesses);
      } catch (e) {
        if (!(e instanceof OAuthError)) throw e;
        request.log.warn({ address: request.ip, path: request.url.split('?')[0] }, 'console: refused');
        return refused(request, reply, e);
      }
    });

    guarded.get('/console', pageSchema('Console', 'The console: counts and links to every section', CONSOLE_GUARD), async (request, reply) => {
      const { repos } = context;
      const now = context.clock.now();
      return consolePage(reply, context, 'console-home', {
        title: 'Console',
        section: '/console',
        notice: noticeOf(request.query, { reset: () => 'The emulator was reset: tokens, codes, sessions, consents, faults and the journal are gone.' }),
        issuer: context.runtime.issuer,
        clock: clockState(context),
        counts: [
          { label: 'Clients', value: repos.clients.list().length, href: '/console/clients' },
          { label: 'Users', value: repos.users.list().length, href: '/console/users' },
          { label: 'Organizations', value: repos.users.listOrganizations().length, href: '/console/organizations' },
          { label: 'Live token families', value: repos.tokens.listLiveFamilies(now).length, href: '/console/grants' },
          { label: 'Pending faults', value: context.faults.list().length, href: '/console/faults' },
        ],
      });
    });

    // a mistyped console address gets a console page, not the API's JSON 404
    const unknownPage = { responses: { ...CONSOLE_GUARD.responses, 404: htmlPage('No console page at this address') } };
    guarded.get('/console/*', pageSchema('Console', 'Any other console address: a readable 404 page', unknownPage), async (_request, reply) =>
      notFound(reply, context, '/console', 'This console page'),
    );

    guarded.post('/console/reset', { ...formSchema('Console', 'Reset the emulator (as POST /_emulator/reset)', {}, { then: 'To /console, saying it was reset' }), ...protection }, async (request, reply) => {
      context.reset();
      request.log.info('emulator reset (console)');
      return reply.redirect(doneUrl('/console', 'reset'), 303);
    });

    await guarded.register(consoleClientRoutes, { context });
    await guarded.register(consoleUserRoutes, { context });
    await guarded.register(consoleOrganizationRoutes, { context });
    await guarded.register(consoleGrantRoutes, { context });
    await guarded.register(consoleActivityRoutes, { context });
    await guarded.register(consoleFaultRoutes, { context });
  });
}
