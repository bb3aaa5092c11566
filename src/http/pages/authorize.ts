import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import {
  errorResponseUrl,
  resolveTarget,
  responseModeOf,
  validateAuthorizationRequest,
  type AuthorizationRequest,
  type AuthorizationTarget,
} from '../../oauth/authorization.js';
import { invalidRequest, OAuthError } from '../../oauth/errors.js';
import { approve, startInteraction } from '../../oauth/interaction.js';
import { Params } from '../../oauth/request-parameters.js';
import { browserKey, currentUser } from '../plugins/session.js';
import { documented, htmlPage, redirect } from '../schemas.js';
import { renderError } from './index.js';

const param = (description: string) => ({ type: 'string', description }) as const;

const schema = documented({
  tags: ['OAuth', 'Pages'],
  summary: 'Authorization request (RFC 6749 §4.1, §4.2; PKCE S256)',
  description:
    'Sends the browser to the login and consent pages (303), then back to `redirect_uri` with `code` (or the token in the fragment for ' +
    '`response_type=token`) and `state`, or with an `error`. An unknown client or a redirect URI that is not registered is shown on a page ' +
    'and never redirected to. With INTERACTIVE_LOGIN=false the user named by `login_hint` (or the first user) is logged in and approved at once.',
  querystring: {
    type: 'object',
    required: ['response_type', 'client_id'],
    properties: {
      response_type: { type: 'string', enum: ['code', 'token'], description: '`token` (implicit) is deprecated, only for clients that list it' },
      client_id: param('A registered client'),
      redirect_uri: param('One of the client\'s redirect URIs, exactly (a loopback one may use any port)'),
      scope: param('Space-separated, e.g. `profile organization`'),
      state: param('Echoed back unchanged'),
      code_challenge: param('PKCE: BASE64URL(SHA-256(code_verifier)); required for public clients'),
      code_challenge_method: { type: 'string', enum: ['S256'] },
      login_hint: param('An e-mail to prefill on the login page (or the user to log in with INTERACTIVE_LOGIN=false)'),
    },
  },
  response: {
    302: redirect('Back to the client: `code` and `state`, or `error`, `error_description`, `hint`, `state`, `iss`'),
    303: redirect('To the login and consent pages (/interaction/{id})'),
    400: htmlPage('An unknown client or an unregistered redirect URI, on a readable page'),
  },
});

/**
 * GET /authorize (RFC 6749 §4.1.1). Client and redirect URI problems are shown on a page; every
 * other problem is redirected to the client with `state`. With INTERACTIVE_LOGIN=false the
 * persona is logged in and approved at once (SPEC §2).
 */
export async function authorizeRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.get('/authorize', schema, async (request, reply) => {
    const params = Params.from(request.query);
    let target: AuthorizationTarget;
    try {
      target = resolveTarget(params, context.repos.clients);
    } catch (e) {
      if (e instanceof OAuthError) {
        request.oauthError = e;
        return renderError(reply, e, 'This sign-in link is not valid');
      }
      throw e;
    }
    const state = safeGet(params, 'state');
    try {
      const authorization = validateAuthorizationRequest(params, target);
      if (!context.config.interactiveLogin) return await approveAtOnce(reply, authorization, context, request);
      const id = startInteraction(authorization, context.protocol, browserKey(request, reply, context));
      return reply.code(303).header('cache-control', 'no-store').redirect(`/interaction/${id}`, 303);
    } catch (e) {
      if (!(e instanceof OAuthError) || e.status >= 500) throw e;
      request.oauthError = e;
      const mode = responseModeOf(safeGet(params, 'response_type'));
      return reply.header('cache-control', 'no-store').redirect(errorResponseUrl({ ...target, state }, context.runtime.issuer, e, mode), 302);
    }
  });
}

/** `state` or `response_type` for an error redirect: read when single (a duplicate is itself the error). */
function safeGet(params: Params, name: string): string | undefined {
  try {
    return params.get(name);
  } catch {
    return undefined;
  }
}

async function approveAtOnce(reply: FastifyReply, request: AuthorizationRequest, context: AppContext, http: Parameters<typeof currentUser>[0]) {
  const hint = request.loginHint;
  const user = hint !== undefined ? context.repos.users.findByEmail(hint) ?? context.repos.users.findByUuid(hint) : currentUser(http, context) ?? context.repos.users.findFirst();
  if (!user) {
    throw invalidRequest(
      hint !== undefined
        ? `login_hint \`${hint}\` names no seeded user; INTERACTIVE_LOGIN=false logs in the user whose e-mail or uuid is the login_hint`
        : 'No user is seeded, so INTERACTIVE_LOGIN=false has nobody to log in',
    );
  }
  return reply.header('cache-control', 'no-store').redirect(await approve(request, user, context.protocol), 302);
}
