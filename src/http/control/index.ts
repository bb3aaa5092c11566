import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { clockState, moveClock, type ClockChange } from './clock.js';
import { deviceControlRoutes } from './device.js';
import { faultRoutes } from './faults.js';
import { checkAdmin } from './guard.js';
import { requestJournalRoutes } from './requests.js';
import { tokenMintRoutes } from './tokens.js';

/** The control API for tests (SPEC §8), guarded by ADMIN_TOKEN or loopback (SPEC §2). */
export async function controlRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.addHook('onRequest', async (request) => checkAdmin(request, context.config.adminToken));

  await app.register(deviceControlRoutes, { context });
  app.get('/clock', async () => clockState(context));
  app.post('/clock', async (request) => {
    moveClock(context, request.body as ClockChange);
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
