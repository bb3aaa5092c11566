import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { sendJsonError } from '../errors.js';
import { API_HEADERS } from '../security-headers.js';
import { controlRoutes } from '../control/index.js';
import { deviceAuthorizationRoutes } from './device-authorization.js';
import { rateLimit } from '../plugins/rate-limit.js';
import { introspectionRoutes } from './introspect.js';
import { meRoutes } from './me.js';
import { revocationRoutes } from './revoke.js';
import { tokenRoutes } from './token.js';
import { wellKnownRoutes } from './well-known.js';

/**
 * The JSON side of the server: token endpoint, resources, discovery and the control API. Errors
 * are always the JSON of SPEC §5 with Cache-Control: no-store; nothing here renders HTML.
 */
export async function apiRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(API_HEADERS);
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done(null, payload);
  });
  app.setErrorHandler(sendJsonError);
  await app.register(wellKnownRoutes, { context });
  // SPEC §7: the API proper is rate-limited per client; discovery, health and control are not
  await app.register(async (limited) => {
    await limited.register(rateLimit, { context });
    await limited.register(tokenRoutes, { context });
    await limited.register(revocationRoutes, { context });
    await limited.register(introspectionRoutes, { context });
    await limited.register(meRoutes, { context });
    await limited.register(deviceAuthorizationRoutes, { context });
  });
  await app.register(controlRoutes, { context, prefix: '/_emulator' });
}
