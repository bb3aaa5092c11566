import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { authenticateUser } from '../../accounts/authenticate-user.js';
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
    const step = nextStep(id, currentUser(request, context), context.protocol);
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
    const result = await authenticateUser(email, password, { users: context.repos.users, passwords: context.passwords });
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
    const location = decide(id, user, decision, context.protocol);
    request.log.info({ decision, userUuid: user.uuid }, 'consent decided');
    return reply.redirect(location, 303);
  });
}
