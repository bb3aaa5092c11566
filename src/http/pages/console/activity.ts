import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../context.js';
import { FormValues, type FieldErrors } from '../../../console/form.js';
import { OAuthError } from '../../../oauth/errors.js';
import { clockState, moveClock, type ClockChange } from '../../control/clock.js';
import { consolePage, doneUrl, noticeOf } from './render.js';
import { CONSOLE_GUARD, formSchema, pageSchema } from '../../schemas.js';

const LIMITS = [50, 200, 1000];

/** The request journal (SPEC §8, already redacted) and the clock (the control API's own functions). */
export async function consoleActivityRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const protection = { preHandler: app.csrfProtection };

  app.get<{ Querystring: { limit?: string } }>('/console/requests', pageSchema('Console', 'The recent requests, with their errors and hints', { ...CONSOLE_GUARD, querystring: { type: 'object', properties: { limit: { type: 'string', description: 'How many to show' } } } }), async (request, reply) => {
    const limit = LIMITS.find((l) => String(l) === request.query.limit) ?? LIMITS[0] ?? 50;
    return consolePage(reply, context, 'console-requests', {
      title: 'Requests',
      section: '/console/requests',
      limit,
      limits: LIMITS,
      requests: context.journal.recent(limit).map((r) => ({ ...r, at: r.at.slice(0, 19).replace('T', ' ') })),
    });
  });

  const clockPage = (reply: FastifyReply, extra: { notice?: string; errors?: FieldErrors; values?: Record<string, string> } = {}) =>
    consolePage(
      reply,
      context,
      'console-clock',
      { title: 'Clock', section: '/console/clock', ...clockState(context), errors: {}, values: {}, ...extra },
      extra.errors ? 400 : 200,
    );

  app.get('/console/clock', pageSchema('Console', 'The emulator clock', CONSOLE_GUARD), async (request, reply) =>
    clockPage(reply, { notice: noticeOf(request.query, { moved: () => 'The clock was moved.', reset: () => 'The clock was reset to real time.' }) }),
  );

  app.post('/console/clock', { ...formSchema('Console', 'Move the emulator clock', { action: 'advance, set or reset', advance: 'Seconds', set: 'ISO-8601 date-time' }, { then: 'To the clock page' }), ...protection }, async (request, reply) => {
    const form = FormValues.from(request.body);
    const action = form.text('action');
    const advance = form.text('advance', 40);
    const set = form.text('set', 40);
    let change: ClockChange;
    let field: string;
    if (action === 'advance') {
      field = 'advance';
      // a number input sends text: what is not a number is left for moveClock to refuse
      change = { advance: advance !== '' && Number.isFinite(Number(advance)) ? Number(advance) : advance };
    } else if (action === 'set') {
      field = 'set';
      change = { set: set };
    } else {
      field = 'reset';
      change = action === 'reset' ? { reset: true } : {};
    }
    try {
      moveClock(context, change);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      return clockPage(reply, { errors: { [field]: e.hint }, values: { advance, set } });
    }
    request.log.info({ clock: clockState(context) }, 'clock moved (console)');
    return reply.redirect(doneUrl('/console/clock', action === 'reset' ? 'reset' : 'moved'), 303);
  });
}
