import type { FastifyReply, FastifyRequest } from 'fastify';
import { minutesLeft } from '../../accounts/lockout.js';
import type { AppContext } from '../../context.js';
import type { User } from '../../oauth/ports.js';
import { Params } from '../../oauth/request-parameters.js';
import { startSession } from '../plugins/session.js';

export type LoginFormResult = { user: User } | { email: string; error: string };

/**
 * The login form's submission, shared by the authorization and device pages (SPEC §7): one
 * uniform message for a wrong e-mail or password, the lockout shown and logged (the account,
 * never the password), and a new session on success.
 */
export async function submitLoginForm(
  request: FastifyRequest,
  reply: FastifyReply,
  context: AppContext,
  clientId: string,
): Promise<LoginFormResult> {
  const params = Params.from(request.body);
  const email = params.get('email') ?? '';
  const password = params.get('password') ?? '';
  if (!email || !password) return { email, error: 'Enter your e-mail address and your password.' };
  const result = await context.protocol.accounts.authenticate(email, password);
  if (!result.ok && result.reason === 'locked') {
    const event = result.justLocked ? 'account locked after repeated failed logins' : 'login refused: account locked';
    request.log.warn({ userUuid: result.userUuid, lockedUntil: new Date(result.until).toISOString() }, event);
    const minutes = minutesLeft(result.until, context.clock.now());
    return { email, error: `This account is locked after too many failed logins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` };
  }
  if (!result.ok) {
    request.log.info({ clientId }, 'login failed');
    return { email, error: 'Invalid email or password.' };
  }
  startSession(request, reply, result.user, context);
  request.log.info({ userUuid: result.user.uuid, clientId }, 'logged in');
  return { user: result.user };
}
