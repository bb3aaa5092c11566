import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { clockState, moveClock, type ClockChange } from './clock.js';
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

/** The control API for tests (SPEC §8), guarded by ADMIN_TOKEN or loopback (SPEC §2). */
export async function controlRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.addHook('onRequest', async (request) => checkAdmin(request, context.config.adminToken, context.adminGuesses));

  await app.register(deviceControlRoutes, { context });
  app.get('/clock', readClock, async () => clockState(context));
  app.post('/clock', moveClockSchema, async (request) => {
    moveClock(context, request.body as ClockChange);
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
