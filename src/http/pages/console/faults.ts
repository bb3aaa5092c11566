import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../context.js';
import { FormValues, type FieldErrors } from '../../../console/form.js';
import { FAULT_PRESETS, parseFaultSpec } from '../../../faults/fault-spec.js';
import { OAuthError } from '../../../oauth/errors.js';
import { consolePage, doneUrl, noticeOf, when } from './render.js';
import { CONSOLE_GUARD, formSchema, pageSchema } from '../../schemas.js';

const FIELDS = ['preset', 'method', 'path', 'status', 'body', 'times', 'delayMs'] as const;
type FaultForm = Record<(typeof FIELDS)[number], string>;

const PRESET_LABELS: Record<string, string> = {
  rate_limited: '429 rate limited (as Askara answers an empty bucket)',
  unavailable: '503 temporarily unavailable',
  server_error: '500 server error',
};

const NOTICES = {
  added: (id: string) => `Fault ${id} was added.`,
  removed: (id: string) => `Fault ${id} was removed.`,
  cleared: (n: string) => `${n} fault${n === '1' ? ' was' : 's were'} removed.`,
};

/** The form's text as the JSON fault spec of POST /_emulator/faults: numbers as numbers, a JSON body parsed. */
function specOf(form: FaultForm): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const number = (text: string) => (/^-?\d+$/.test(text) ? Number(text) : text);
  if (form.preset) spec.preset = form.preset;
  if (form.method) spec.method = form.method;
  if (form.path) spec.path = form.path;
  if (form.status) spec.status = number(form.status);
  if (form.body) {
    try {
      spec.body = JSON.parse(form.body);
    } catch {
      spec.body = form.body;
    }
  }
  if (form.times) spec.times = number(form.times);
  if (form.delayMs) spec.delayMs = number(form.delayMs);
  return spec;
}

/** The field a fault hint is about: the `name` in backticks it starts with; otherwise the form as a whole. */
function fieldOf(hint: string): string {
  const named = /^`(\w+)`/.exec(hint)?.[1];
  return FIELDS.find((f) => f === named) ?? '_form';
}

/** Faults (SPEC §8, §13): the pending faults, add one (a preset or status, body, count, path), remove. */
export async function consoleFaultRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const protection = { preHandler: app.csrfProtection };
  const blank = { preset: '', method: '', path: '', status: '', body: '', times: '1', delayMs: '0' } satisfies FaultForm;

  const page = (reply: FastifyReply, extra: { notice?: string; errors?: FieldErrors; values?: FaultForm } = {}) =>
    consolePage(
      reply,
      context,
      'console-faults',
      {
        title: 'Faults',
        section: '/console/faults',
        faults: context.faults.list().map((f) => ({
          ...f,
          answer: f.preset ? (PRESET_LABELS[f.preset] ?? f.preset) : f.status !== null ? String(f.status) : 'the real answer, delayed',
          body: f.body === undefined ? '' : typeof f.body === 'string' ? f.body : JSON.stringify(f.body),
          created: when(f.createdAt),
        })),
        presets: FAULT_PRESETS.map((p) => ({ value: p, label: PRESET_LABELS[p] ?? p })),
        errors: {},
        values: blank,
        ...extra,
      },
      extra.errors ? 400 : 200,
    );

  app.get('/console/faults', pageSchema('Console', 'The pending faults, and the form to add one', CONSOLE_GUARD), async (request, reply) => page(reply, { notice: noticeOf(request.query, NOTICES) }));

  app.post('/console/faults', { ...formSchema('Console', 'Add a fault', { preset: 'rate_limited, server_error or unavailable', method: 'Method', path: 'Path', status: 'Status', body: 'Body (JSON or text)', times: 'Times', delayMs: 'Delay (ms)' }, { then: 'To the faults' }), ...protection }, async (request, reply) => {
    const form = FormValues.from(request.body);
    const values = Object.fromEntries(FIELDS.map((f) => [f, form.text(f, f === 'body' ? 8000 : 2048)])) as FaultForm;
    let spec;
    try {
      spec = parseFaultSpec(specOf(values));
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      return page(reply, { errors: { [fieldOf(e.hint)]: e.hint }, values });
    }
    const fault = context.faults.add(spec, context.clock.now());
    request.log.info({ fault: fault.id }, 'fault added (console)');
    return reply.redirect(doneUrl('/console/faults', 'added', fault.id), 303);
  });

  app.post<{ Params: { id: string } }>('/console/faults/:id/remove', { ...formSchema('Console', 'Remove one pending fault', {}, { then: 'To the faults' }), ...protection }, async (request, reply) => {
    const { id } = request.params;
    const removed = context.faults.remove(id);
    // a fault used up meanwhile is gone either way: say so rather than fail
    return reply.redirect(removed ? doneUrl('/console/faults', 'removed', id) : '/console/faults', 303);
  });

  app.post('/console/faults/clear', { ...formSchema('Console', 'Remove every pending fault', {}, { then: 'To the faults' }), ...protection }, async (_request, reply) =>
    reply.redirect(doneUrl('/console/faults', 'cleared', String(context.faults.clear())), 303),
  );
}
