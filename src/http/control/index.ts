import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { invalidRequest } from '../../oauth/errors.js';
import { deviceControlRoutes } from './device.js';
import { faultRoutes } from './faults.js';
import { checkAdmin } from './guard.js';
import { requestJournalRoutes } from './requests.js';
import { tokenMintRoutes } from './tokens.js';

function clockState(context: AppContext) {
  return { now: new Date(context.clock.now()).toISOString(), offsetSeconds: context.clock.offsetSeconds };
}

type ClockBody = { advance?: unknown; set?: unknown; reset?: unknown } | undefined;

/** Moves the emulator clock (SPEC §8): `{"advance": s}`, `{"set": ISO-8601}` or `{"reset": true}`. */
function moveClock(context: AppContext, body: ClockBody): void {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest('Send a JSON object: {"advance": seconds}, {"set": "ISO-8601"} or {"reset": true}');
  }
  const ops = (['advance', 'set', 'reset'] as const).filter((k) => body[k] !== undefined);
  if (ops.length !== 1) throw invalidRequest(`Send exactly one of advance, set or reset; received ${ops.length ? ops.join(', ') : 'none'}`);
  if (body.advance !== undefined) {
    if (typeof body.advance !== 'number' || !Number.isFinite(body.advance) || Math.abs(body.advance) > 100 * 365 * 86400) {
      throw invalidRequest('advance must be a number of seconds (negative moves back), within 100 years');
    }
    context.clock.advance(body.advance);
  } else if (body.set !== undefined) {
    const at = typeof body.set === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(body.set) ? Date.parse(body.set) : Number.NaN;
    if (Number.isNaN(at)) throw invalidRequest('set must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z');
    context.clock.set(at);
  } else {
    if (body.reset !== true) throw invalidRequest('reset must be true');
    context.clock.reset();
  }
}

/** The control API for tests (SPEC §8), guarded by ADMIN_TOKEN or loopback (SPEC §2). */
export async function controlRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.addHook('onRequest', async (request) => checkAdmin(request, context.config.adminToken));

  await app.register(deviceControlRoutes, { context });
  app.get('/clock', async () => clockState(context));
  app.post('/clock', async (request) => {
    moveClock(context, request.body as ClockBody);
    request.log.info({ clock: clockState(context) }, 'clock moved');
    return clockState(context);
  });
  app.post('/reset', async (request) => {
    context.reset();
    request.log.info('emulator reset');
    return { reset: true, ...clockState(context) };
  });
  await app.register(faultRoutes, { context });
  await app.register(tokenMintRoutes, { context });
  await app.register(requestJournalRoutes, { context });
}
