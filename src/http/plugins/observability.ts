import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../../context.js';
import type { OAuthError } from '../../oauth/errors.js';
import { maskSecrets, pathOf, redactUrl } from '../../observability/redact.js';
import { clientIdOf, grantTypeOf } from '../request-summary.js';
import { documented } from '../schemas.js';
import { API_HEADERS } from '../security-headers.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The OAuth error the request ended with (set by the error handlers and error redirects). */
    oauthError: OAuthError | null;
    /** The fault that answered or delayed this request, if any. */
    faultId: string | null;
    /** When it arrived (emulator clock, ms) and from where (read then: the socket may be gone at the end). */
    arrival: { at: number; address: string | undefined } | null;
    /**
     * The client a route authenticated (its credentials, or a verified bearer token), set by the
     * route: the log, journal and metrics then need not read the request's credentials again.
     */
    authenticatedClientId: string | null;
  }
}

/** Requests neither journaled: reading the journal and scraping metrics would fill it with themselves. */
const UNJOURNALED = new Set(['GET /_emulator/requests', 'GET /metrics']);

function shorten(id: string): string {
  return id.length <= 4 ? '…' : `${id.slice(0, 4)}…`;
}

function outcomeOf(request: FastifyRequest, status: number): string {
  if (request.oauthError) return request.oauthError.code;
  return status < 400 ? 'ok' : `http_${status}`;
}

function observe(context: AppContext, request: FastifyRequest, reply: FastifyReply): void {
  const path = pathOf(request.url).slice(0, 512);
  const status = reply.statusCode;
  const durationMs = Math.round(reply.elapsedTime * 10) / 10;
  const named = clientIdOf(request);
  const grantType = grantTypeOf(request, path);
  const error = request.oauthError;
  // an id no client is registered under may be a secret pasted into client_id: keep only its start
  const clientId = named !== null && error?.code === 'invalid_client' && !context.repos.clients.find(named) ? shorten(named) : named;
  const rawHint = error ? (named !== null && clientId !== named ? error.hint.split(named).join(clientId ?? '') : error.hint) : null;
  const hint = rawHint !== null ? maskSecrets(rawHint) : request.faultId ? `Answered by fault ${request.faultId} (POST /_emulator/faults)` : null;
  const route = request.routeOptions.url ?? 'unmatched';

  context.metrics.observeRequest({ route, method: request.method, status, seconds: reply.elapsedTime / 1000 });
  if (error) context.metrics.oauthError(error.code);
  // the console's pages are views of the journal and the database, not traffic worth recording
  const consoleView = request.method === 'GET' && (path === '/console' || path.startsWith('/console/'));
  if (!UNJOURNALED.has(`${request.method} ${path}`) && !consoleView) {
    context.journal.record({
      id: request.id,
      at: new Date(request.arrival?.at ?? context.clock.now()).toISOString(),
      method: request.method,
      path: maskSecrets(path),
      status,
      durationMs,
      clientId,
      grantType,
      error: error?.code ?? null,
      hint,
    });
  }
  // SPEC §14: one line per request with its id (reqId), client, grant type, outcome and duration;
  // not built when pino would drop it (the bench and many CI runs log at warn); a logger without
  // isLevelEnabled (Fastify's null logger) is handed the line as before
  const level = status >= 500 ? 'error' : 'info';
  const log = request.log as typeof request.log & { isLevelEnabled?: (level: string) => boolean };
  if (log.isLevelEnabled && !log.isLevelEnabled(level)) return;
  const line = {
    // flat, not under `req`/`res`: Fastify's serializers would rebuild those from a request object
    method: request.method,
    url: redactUrl(request.url),
    statusCode: status,
    remoteAddress: request.arrival?.address,
    clientId,
    grantType,
    outcome: outcomeOf(request, status),
    ...(hint ? { hint } : {}),
    ...(request.faultId ? { fault: request.faultId } : {}),
    durationMs,
  };
  log[level](line, 'request completed');
}

/**
 * Request logging, the journal of the control API and Prometheus metrics (SPEC §8, §14), and
 * `GET /metrics`. Registered first, so it sees every request, faulted ones included. /metrics is
 * not guarded: Prometheus scrapers rarely send a bearer token, and it holds no secret.
 */
export const observability = fp(
  async (app: FastifyInstance, { context }: { context: AppContext }) => {
    app.decorateRequest('oauthError', null);
    app.decorateRequest('faultId', null);
    app.decorateRequest('arrival', null);
    app.decorateRequest('authenticatedClientId', null);
    // callback hooks, not async ones: they run on every request and never wait
    app.addHook('onRequest', (request, _reply, done) => {
      request.arrival = { at: context.clock.now(), address: request.ip };
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      observe(context, request, reply);
      done();
    });
    const schema = documented({
      tags: ['Operations'],
      summary: 'Prometheus metrics',
      description: 'Requests by route, method and status, OAuth errors by code, tokens issued by grant type, and the process. Not guarded: it holds no secret.',
      produces: ['text/plain'],
      response: { 200: { description: 'Prometheus text exposition format', type: 'string' } },
    });
    app.get('/metrics', schema, async (_request, reply) => {
      const body = await context.metrics.registry.metrics();
      return reply.type(context.metrics.registry.contentType).headers(API_HEADERS).header('cache-control', 'no-store').send(body);
    });
  },
  { name: 'observability' },
);
