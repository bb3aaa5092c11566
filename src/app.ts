import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppContext } from './context.js';
import { apiRoutes } from './http/api/index.js';
import { bodyParsers } from './http/plugins/body-parsers.js';
import { docs } from './http/plugins/docs.js';
import { faults } from './http/plugins/faults.js';
import { observability } from './http/plugins/observability.js';
import { pages } from './http/plugins/pages.js';
import { sessions } from './http/plugins/session.js';
import { pageRoutes } from './http/pages/index.js';
import { clientErrorHandler } from './http/client-error.js';
import { sendJsonError } from './http/errors.js';
import { API_HEADERS } from './http/security-headers.js';
import { invalidRequest } from './oauth/errors.js';
import { groupCommitOf } from './storage/group-commit.js';

export interface BuildAppOptions {
  context: AppContext;
  logger?: FastifyServerOptions['logger'];
}

/** Creates the Fastify application (plugins, then route groups, in this order); never listens. */
export async function buildApp({ context, logger = false }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    // SPEC §5: an oversized body is refused with a JSON error, not read
    bodyLimit: 64 * 1024,
    // the emulator sits behind nothing by default; X-Forwarded-* are not trusted
    trustProxy: false,
    return503OnClosing: true,
    // SPEC §14: the observability plugin writes one line per request instead of Fastify's two
    logController: new LogController({ disableRequestLogging: true }),
    // SPEC §5: a URL the router cannot decode (`/%ff`) is refused as JSON, not with Fastify's own shape
    frameworkErrors: sendJsonError,
    // SPEC §5 also for what Node's HTTP parser refuses (bad framing, oversized headers)
    clientErrorHandler,
  });
  // no answer leaves before what was written so far is durable: the token endpoint's writes share
  // a group commit (storage/group-commit.ts) that may still be open when this answer is ready
  const group = groupCommitOf(context.db.$client);
  app.addHook('onSend', (_request, _reply, payload, done) => {
    const pending = group.pending;
    if (!pending) return done(null, payload);
    pending.then(() => done(null, payload), done);
  });
  // before any route: its onRoute hook collects every route into the OpenAPI description
  await app.register(docs);
  // first: they must see every request, and a fault must answer before anything is parsed
  await app.register(observability, { context });
  await app.register(faults, { context });
  await app.register(bodyParsers);
  await app.register(apiRoutes, { context });
  // HTML in a scope of its own: helmet's page headers, and the cookie and CSRF hooks of the
  // browser sessions, run only there; the JSON answers carry API_HEADERS and read no cookie
  await app.register(async (html) => {
    await html.register(sessions, { context });
    await html.register(pages);
    await html.register(pageRoutes, { context });
  });
  // errors outside the API and page groups (unknown paths, /metrics, assets): SPEC §5 JSON
  app.setErrorHandler(sendJsonError);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // hasRoute reads its url as a route pattern: a path with pattern characters names no static route
    const other = /[*:(]/.test(path) ? undefined : (['GET', 'POST'] as const).find((m) => m !== request.method && app.hasRoute({ method: m, url: path }));
    const hint = other
      ? `${request.method} is not supported on ${path}; use ${other}`
      : `There is no endpoint at ${request.method} ${path}; see /.well-known/oauth-authorization-server`;
    const error = invalidRequest(hint, { status: other ? 405 : 404, description: other ? 'Method not allowed' : 'Not found' });
    request.oauthError = error;
    return reply
      .code(error.status)
      .headers(API_HEADERS)
      .headers(other ? { allow: other } : {})
      .header('cache-control', 'no-store')
      .send(error.toJSON());
  });
  return app;
}
