import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import type { AuthorizationRequest } from '../../oauth/authorization.js';
import { decide, loadInteraction, nextStep } from '../../oauth/interaction.js';
import { Params } from '../../oauth/request-parameters.js';
import { describeScope } from '../../oauth/scope.js';
import { allowFormRedirectTo } from '../plugins/pages.js';
import { currentUser, existingBrowserKey } from '../plugins/session.js';
import { documented, formBody, htmlPage, redirect } from '../schemas.js';
import { submitLoginForm } from './login-form.js';

const id = { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'The interaction /authorize started' } } } as const;

const showSchema = documented({
  tags: ['Pages'],
  summary: 'The login or consent page of an authorization request',
  description: 'Shows what the user must do next: log in, or consent to the client and scopes. A request whose scopes were all granted before goes straight back to the client.',
  params: id,
  response: {
    200: htmlPage('The login page (Email, Password, Log in) or the consent page (Authorize, Deny)'),
    303: redirect('Back to the client, when nothing is left to ask'),
    400: htmlPage('An unknown or expired interaction'),
  },
});

const loginSchema = documented({
  tags: ['Pages'],
  summary: 'Submit the login form',
  params: id,
  consumes: ['application/x-www-form-urlencoded'],
  body: formBody({ email: { type: 'string', description: 'Email' }, password: { type: 'string', description: 'Password' } }, ['email', 'password']),
  response: {
    200: htmlPage('The login page again, with "Invalid email or password." or the lockout message'),
    303: redirect('To the consent page'),
    403: htmlPage('The form was sent without a valid CSRF token'),
  },
});

const consentSchema = documented({
  tags: ['Pages'],
  summary: 'Submit the consent form',
  params: id,
  consumes: ['application/x-www-form-urlencoded'],
  body: formBody({ decision: { type: 'string', enum: ['authorize', 'deny'], description: 'Authorize or Deny' } }, ['decision']),
  response: {
    303: redirect('Back to the client with `code` (Authorize) or `error=access_denied` (Deny); to the login page when logged out'),
    403: htmlPage('The form was sent without a valid CSRF token'),
  },
});

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

  app.get<IdParams>('/interaction/:id', showSchema, async (request, reply) => {
    const { id } = request.params;
    const step = await nextStep(id, currentUser(request, context), context.protocol, existingBrowserKey(request, context));
    if (step.kind === 'redirect') return reply.header('cache-control', 'no-store').redirect(step.location, 303);
    if (step.kind === 'login') return loginPage(reply, id, step.request);
    const user = currentUser(request, context);
    allowFormRedirectTo(reply, step.request.redirectUri);
    return reply.header('cache-control', 'no-store').view('consent', {
      action: `/interaction/${encodeURIComponent(id)}/consent`,
      csrf: reply.generateCsrf(),
      clientName: step.request.client.name,
      userEmail: user?.email,
      returnTo: `/interaction/${id}`,
      scopes: step.request.scope.map((s) => ({ name: s, description: describeScope(s) })),
    });
  });

  app.post<IdParams>('/interaction/:id/login', { ...loginSchema, ...protection }, async (request, reply) => {
    const { id } = request.params;
    const authorization = loadInteraction(id, context.protocol, existingBrowserKey(request, context));
    const outcome = await submitLoginForm(request, reply, context, authorization.client.id);
    if ('error' in outcome) return loginPage(reply, id, authorization, outcome);
    return reply.redirect(`/interaction/${encodeURIComponent(id)}`, 303);
  });

  app.post<IdParams>('/interaction/:id/consent', { ...consentSchema, ...protection }, async (request, reply) => {
    const { id } = request.params;
    const user = currentUser(request, context);
    if (!user) return reply.redirect(`/interaction/${encodeURIComponent(id)}`, 303);
    const decision = Params.from(request.body).get('decision') === 'authorize' ? 'authorize' : 'deny';
    const location = await decide(id, user, decision, context.protocol, existingBrowserKey(request, context));
    request.log.info({ decision, userUuid: user.uuid }, 'consent decided');
    // 303, never 307 (RFC 9700 §4.12): the browser must not re-post the form to the client
    return reply.header('cache-control', 'no-store').redirect(location, 303);
  });
}
