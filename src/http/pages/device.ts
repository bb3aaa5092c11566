import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { decideDevice, findPendingDevice, type LookupFailure, type PendingDevice } from '../../oauth/device-verification.js';
import { invalidRequest } from '../../oauth/errors.js';
import { Params } from '../../oauth/request-parameters.js';
import { describeScope } from '../../oauth/scope.js';
import { sha256 } from '../../shared/random.js';
import { CSRF_COOKIE, cookieName, currentUser } from '../plugins/session.js';
import { submitLoginForm } from './login-form.js';
import { GuessThrottle } from '../../shared/guess-throttle.js';
import { documented, formBody, htmlPage, redirect, userCodeQuery } from '../schemas.js';

const tooMany = htmlPage('Too many wrong codes from this browser or address (Retry-After)');
const badCsrf = htmlPage('The form was sent without a valid CSRF token');
const userCodeField = { type: 'string', description: 'Code' } as const;

const codePageSchema = documented({
  tags: ['Pages'],
  summary: 'The device verification page: enter the code (RFC 8628 §3.3)',
  querystring: userCodeQuery,
  response: { 200: htmlPage('The Code form (prefilled from `user_code`), with Continue') },
});

const submitCodeSchema = documented({
  tags: ['Pages'],
  summary: 'Submit the code',
  consumes: ['application/x-www-form-urlencoded'],
  body: formBody({ user_code: userCodeField }, ['user_code']),
  response: {
    303: redirect('To /device/confirm'),
    400: htmlPage('The Code form again, saying why: malformed, unknown, expired or already used'),
    403: badCsrf,
    429: tooMany,
  },
});

const confirmPageSchema = documented({
  tags: ['Pages'],
  summary: 'The confirmation page: the client and scopes, Authorize or Deny',
  querystring: { ...userCodeQuery, required: ['user_code'] },
  response: {
    200: htmlPage('The confirmation page, or the login page when not logged in'),
    400: htmlPage('The Code form again, saying why the code is refused'),
    429: tooMany,
  },
});

const loginSchema = documented({
  tags: ['Pages'],
  summary: 'Log in on the way to the confirmation page',
  querystring: { ...userCodeQuery, required: ['user_code'] },
  consumes: ['application/x-www-form-urlencoded'],
  body: formBody({ email: { type: 'string', description: 'Email' }, password: { type: 'string', description: 'Password' } }, ['email', 'password']),
  response: {
    200: htmlPage('The login page again, with "Invalid email or password." or the lockout message'),
    303: redirect('To /device/confirm'),
    400: htmlPage('The Code form again, saying why the code is refused'),
    403: badCsrf,
    429: tooMany,
  },
});

const decideSchema = documented({
  tags: ['Pages'],
  summary: 'Authorize or Deny the device',
  consumes: ['application/x-www-form-urlencoded'],
  body: formBody({ user_code: userCodeField, decision: { type: 'string', enum: ['authorize', 'deny'], description: 'Authorize or Deny' } }, ['user_code', 'decision']),
  response: {
    200: htmlPage('"Device connected" or "Access denied"; the device gets its tokens, or access_denied, on its next poll'),
    303: redirect('To the login page, when logged out'),
    400: htmlPage('The code is refused, or no decision was sent'),
    403: badCsrf,
    429: tooMany,
  },
});

type Query = { Querystring: { user_code?: unknown } };

/** What a person reads when the code they typed leads nowhere (the hint is for integrators). */
const MESSAGES: Record<LookupFailure, string> = {
  malformed: 'That code is invalid: a code has 8 letters, such as BCDF-GHJK (no vowels, no digits). Check the code your device shows.',
  unknown: 'That code is invalid or unknown. Check the code your device shows and type it again.',
  expired: 'That code has expired. Start again on your device to get a new code.',
  decided: 'That code was already used. Start again on your device if you need to sign in again.',
};

const confirmUrl = (device: PendingDevice) => `/device/confirm?user_code=${device.userCode}`;
/** A query value as typed: prefilled into the Code field (escaped by the view), never trusted. */
const typed = (value: unknown) => (typeof value === 'string' ? value.slice(0, 32) : '');

/**
 * The verification page of RFC 8628 §3.3 (SPEC §6.3): enter the code, log in if needed, confirm
 * the client and scopes, Authorize or Deny. Every lookup of a code goes through the throttle.
 */
export async function deviceRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const throttle = new GuessThrottle(context.clock);
  context.onReset.push(() => throttle.clear());
  const protection = { preHandler: app.csrfProtection };

  const codePage = (reply: FastifyReply, userCode: string, error?: string) =>
    reply.code(error ? 400 : 200).header('cache-control', 'no-store').view('device-code', { csrf: reply.generateCsrf(), userCode, error });

  const loginPage = (reply: FastifyReply, device: PendingDevice, extra: { email?: string; error?: string } = {}) =>
    reply.header('cache-control', 'no-store').view('login', {
      action: `/device/login?user_code=${device.userCode}`,
      csrf: reply.generateCsrf(),
      clientName: device.client.name,
      email: extra.email ?? '',
      error: extra.error,
    });

  /** The pending device of a typed code, or the page that says why not (throttled, wrong, expired…). */
  const lookup = (request: FastifyRequest, reply: FastifyReply, raw: string | undefined) => {
    const csrfCookie = request.cookies[cookieName(CSRF_COOKIE, context)];
    const keys = { address: request.ip, browser: csrfCookie ? sha256(csrfCookie) : undefined };
    const wait = throttle.retryAfterSeconds(keys);
    if (wait > 0) {
      request.log.warn({ address: request.ip }, 'device code entry throttled');
      const minutes = Math.ceil(wait / 60);
      return {
        reply: reply.code(429).header('retry-after', String(wait)).header('cache-control', 'no-store').view('error', {
          title: 'Too many attempts',
          code: 'too_many_requests',
          message: `Too many wrong codes were entered from this browser. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, then try again.`,
        }),
      };
    }
    const found = findPendingDevice(raw, context.protocol);
    if (found.ok) return { device: found.device };
    if (found.reason === 'unknown') throttle.recordFailure(keys);
    request.log.info({ reason: found.reason }, 'device code refused');
    return { reply: codePage(reply, typed(raw), MESSAGES[found.reason]) };
  };

  app.get<Query>('/device', codePageSchema, async (request, reply) => codePage(reply, typed(request.query.user_code)));

  app.post('/device', { ...submitCodeSchema, ...protection }, async (request, reply) => {
    const found = lookup(request, reply, Params.from(request.body).get('user_code'));
    return found.device ? reply.redirect(confirmUrl(found.device), 303) : found.reply;
  });

  app.get<Query>('/device/confirm', confirmPageSchema, async (request, reply) => {
    const found = lookup(request, reply, Params.from(request.query).get('user_code'));
    if (!found.device) return found.reply;
    const { device } = found;
    const user = currentUser(request, context);
    if (!user) return loginPage(reply, device);
    return reply.header('cache-control', 'no-store').view('device-confirm', {
      csrf: reply.generateCsrf(),
      clientName: device.client.name,
      userCode: device.userCode,
      userEmail: user.email,
      scopes: device.record.scope.map((s) => ({ name: s, description: describeScope(s) })),
    });
  });

  app.post<Query>('/device/login', { ...loginSchema, ...protection }, async (request, reply) => {
    const found = lookup(request, reply, Params.from(request.query).get('user_code'));
    if (!found.device) return found.reply;
    const outcome = await submitLoginForm(request, reply, context, found.device.client.id);
    if ('error' in outcome) return loginPage(reply, found.device, outcome);
    return reply.redirect(confirmUrl(found.device), 303);
  });

  app.post('/device/confirm', { ...decideSchema, ...protection }, async (request, reply) => {
    const params = Params.from(request.body);
    const found = lookup(request, reply, params.get('user_code'));
    if (!found.device) return found.reply;
    const { device } = found;
    const user = currentUser(request, context);
    if (!user) return reply.redirect(confirmUrl(device), 303);
    const decision = params.get('decision');
    if (decision !== 'authorize' && decision !== 'deny') {
      throw invalidRequest('Choose Authorize or Deny on the confirmation page');
    }
    decideDevice(device, user, decision === 'authorize' ? 'approve' : 'deny', context.protocol);
    request.log.info({ decision, userUuid: user.uuid, clientId: device.client.id }, 'device authorization decided');
    return reply.header('cache-control', 'no-store').view('device-done', { approved: decision === 'authorize', clientName: device.client.name });
  });
}
