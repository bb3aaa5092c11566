import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { minutesLeft } from '../../accounts/lockout.js';
import type { AuthorizationRequest } from '../../oauth/authorization.js';
import { decide, loadInteraction, nextStep } from '../../oauth/interaction.js';
import { Params } from '../../oauth/request-parameters.js';
import { describeScope } from '../../oauth/scope.js';
import { allowFormRedirectTo } from '../plugins/pages.js';
import { currentUser, startSession } from '../plugins/session.js';

type IdParams = { Params: { id: string } };

/**
 * The login and consent pages of an authorization request (SPEC §6.1): GET shows whatever the
 * user must do next; each form posts back with its CSRF token and redirects (303) onwards.
 */
export async function interactionRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const protection = { preHandler: app.csrfProtection };

  const loginPage = (reply: FastifyReply, id: string, request: AuthorizationRequest, extra: { email?: string; error?: string } = {}) => {
    allowFormRedirectTo(reply, request.redirectUri);
    return reply.header('cache-control', 'no-store').view('login', {
      action: `/interaction/${encodeURIComponent(id)}/login`,
      csrf: reply.generateCsrf(),
      clientName: request.client.name,
      email: extra.email ?? request.loginHint ?? '',
      error: extra.error,
    });
  };

  app.get<IdParams>('/interaction/:id', async (request, reply) => {
    const { id } = request.params;
    const step = await nextStep(id, currentUser(request, context), context.protocol);
    if (step.kind === 'redirect') return reply.redirect(step.location, 303);
    if (step.kind === 'login') return loginPage(reply, id, step.request);
    const user = currentUser(request, context);
    allowFormRedirectTo(reply, step.request.redirectUri);
    return reply.header('cache-control', 'no-store').view('consent', {
      action: `/interaction/${encodeURIComponent(id)}/consent`,
      csrf: reply.generateCsrf(),
      clientName: step.request.client.name,
      userEmail: user?.email,
      scopes: step.request.scope.map((s) => ({ name: s, description: describeScope(s) })),
    });
  });

  app.post<IdParams>('/interaction/:id/login', protection, async (request, reply) => {
    const { id } = request.params;
    const authorization = loadInteraction(id, context.protocol);
    const params = Params.from(request.body);
    const email = params.get('email') ?? '';
    const password = params.get('password') ?? '';
    if (!email || !password) return loginPage(reply, id, authorization, { email, error: 'Enter your e-mail address and your password.' });
    const result = await context.protocol.accounts.authenticate(email, password);
    if (!result.ok && result.reason === 'locked') {
      // SPEC §7: the lock is shown and logged (the user, never the password)
      const event = result.justLocked ? 'account locked after repeated failed logins' : 'login refused: account locked';
      request.log.warn({ userUuid: result.userUuid, lockedUntil: new Date(result.until).toISOString() }, event);
      const minutes = minutesLeft(result.until, context.clock.now());
      const error = `This account is locked after too many failed logins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
      return loginPage(reply, id, authorization, { email, error });
    }
    if (!result.ok) {
      request.log.info({ clientId: authorization.client.id }, 'login failed');
      return loginPage(reply, id, authorization, { email, error: 'Invalid email or password.' });
    }
    startSession(reply, result.user, context);
    request.log.info({ userUuid: result.user.uuid }, 'logged in');
    return reply.redirect(`/interaction/${encodeURIComponent(id)}`, 303);
  });

  app.post<IdParams>('/interaction/:id/consent', protection, async (request, reply) => {
    const { id } = request.params;
    const user = currentUser(request, context);
    if (!user) return reply.redirect(`/interaction/${encodeURIComponent(id)}`, 303);
    const decision = Params.from(request.body).get('decision') === 'authorize' ? 'authorize' : 'deny';
    const location = await decide(id, user, decision, context.protocol);
    request.log.info({ decision, userUuid: user.uuid }, 'consent decided');
    return reply.redirect(location, 303);
  });
}
