import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { invalidRequest } from '../../oauth/errors.js';
import { deviceControlRoutes } from './device.js';
import { faultRoutes } from './faults.js';
import { checkAdmin } from './guard.js';
import { requestJournalRoutes } from './requests.js';
import { tokenMintRoutes } from './tokens.js';
import { adminGuard, documented, guardErrors, oauthError } from '../schemas.js';

const clockSchema = {
  type: 'object',
  description: 'The emulator clock',
  properties: {
    now: { type: 'string', format: 'date-time' },
    offsetSeconds: { type: 'number', description: 'How far the emulator clock is from the real one' },
  },
} as const;

const readClock = documented({
  tags: ['Control'],
  summary: 'Read the emulator clock',
  security: adminGuard,
  response: { 200: clockSchema, ...guardErrors },
});

const moveClockSchema = documented({
  tags: ['Control'],
  summary: 'Move the emulator clock',
  description: 'Exactly one of `advance` (seconds, negative moves back), `set` (ISO-8601) or `reset` (true). Expiry, slow_down, lockout and rate-limit refills follow this clock.',
  security: adminGuard,
  body: {
    type: 'object',
    properties: {
      advance: { type: 'number', description: 'Seconds to move forward (negative: back), within 100 years' },
      set: { type: 'string', format: 'date-time', description: 'The new time, e.g. 2030-01-01T00:00:00Z' },
      reset: { type: 'boolean', enum: [true], description: 'Back to real time' },
    },
  },
  response: { 200: clockSchema, 400: { ...oauthError, description: 'Not exactly one of advance, set or reset' }, ...guardErrors },
});

const resetSchema = documented({
  tags: ['Control'],
  summary: 'Reset the emulator',
  description: 'Forgets every token, code, session, consent, device code, login lock, fault and rate-limit bucket; resets the clock; keeps seed data and keys.',
  security: adminGuard,
  response: {
    200: { type: 'object', properties: { reset: { type: 'boolean', enum: [true] }, ...clockSchema.properties } },
    ...guardErrors,
  },
});

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
  app.get('/clock', readClock, async () => clockState(context));
  app.post('/clock', moveClockSchema, async (request) => {
    moveClock(context, request.body as ClockBody);
    request.log.info({ clock: clockState(context) }, 'clock moved');
    return clockState(context);
  });
  app.post('/reset', resetSchema, async (request) => {
    context.reset();
    request.log.info('emulator reset');
    return { reset: true, ...clockState(context) };
  });
  await app.register(faultRoutes, { context });
  await app.register(tokenMintRoutes, { context });
  await app.register(requestJournalRoutes, { context });
}
