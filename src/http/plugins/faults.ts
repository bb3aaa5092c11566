import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../../context.js';
import type { Fault } from '../../faults/fault-store.js';
import { presetError } from '../../faults/presets.js';
import { pathOf } from '../../observability/redact.js';

function sendCustom(reply: FastifyReply, fault: Fault): FastifyReply {
  reply.code(fault.status ?? 500);
  let payload: string | undefined;
  if (typeof fault.body === 'string') {
    reply.type('text/plain; charset=utf-8');
    payload = fault.body;
  } else if (fault.body !== undefined) {
    reply.type('application/json; charset=utf-8');
    payload = JSON.stringify(fault.body);
  }
  // the fault's own headers last, so its Content-Type wins
  reply.headers(fault.headers);
  return reply.send(payload);
}

async function applyFault(fault: Fault, request: FastifyRequest, reply: FastifyReply, context: AppContext): Promise<boolean> {
  request.faultId = fault.id;
  request.log.debug({ fault: fault.id, preset: fault.preset, status: fault.status, delayMs: fault.delayMs }, 'fault applied');
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault.preset !== null) {
    const error = presetError(fault.preset, { rateLimit: context.config.rateLimit, now: context.clock.now(), faultId: fault.id });
    request.oauthError = error;
    reply.code(error.status).headers(error.headers).header('cache-control', 'no-store').send(error.toJSON());
    return true;
  }
  if (fault.status === null) return false;
  sendCustom(reply, fault);
  return true;
}

/**
 * Applies the faults of the control API (SPEC §8) in the first onRequest hook, before any body
 * is parsed or state changed: a matching fault answers instead of the route, or delays the real
 * answer. Registered before the route groups, so it covers every route and the 404 handler.
 */
export const faults = fp(
  async (app: FastifyInstance, { context }: { context: AppContext }) => {
    // a callback hook: with no fault (nearly every request) it costs no promise
    app.addHook('onRequest', (request, reply, done) => {
      // synchronous claim (FaultStore.take): N uses means exactly N requests, however concurrent
      const fault = context.faults.take(request.method, pathOf(request.url));
      if (!fault) return done();
      // a fault that answered has sent the reply, and a hook that replies must not call done()
      applyFault(fault, request, reply, context).then((answered) => (answered ? undefined : done()), done);
    });
  },
  { name: 'faults', dependencies: ['observability'] },
);
