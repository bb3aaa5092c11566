import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Fault } from '../../faults/fault-store.js';
import { parseFaultSpec } from '../../faults/fault-spec.js';
import { invalidRequest } from '../../oauth/errors.js';

function view(fault: Fault) {
  const { id, method, path, preset, status, body, headers, delayMs, times, remaining, createdAt } = fault;
  return { id, method, path, preset, status, body, headers, delayMs, times, remaining, createdAt: new Date(createdAt).toISOString() };
}

/** POST, GET and DELETE /_emulator/faults and DELETE /_emulator/faults/:id (SPEC §8). */
export async function faultRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/faults', async (request, reply) => {
    const fault = context.faults.add(parseFaultSpec(request.body), context.clock.now());
    request.log.info({ fault: view(fault) }, 'fault added');
    return reply.code(201).send({ id: fault.id });
  });
  app.get('/faults', async () => ({ faults: context.faults.list().map(view) }));
  app.delete('/faults', async () => ({ cleared: context.faults.clear() }));
  app.delete<{ Params: { id: string } }>('/faults/:id', async (request) => {
    const { id } = request.params;
    if (!context.faults.remove(id)) {
      throw invalidRequest(`No pending fault has id \`${id.slice(0, 60)}\`; GET /_emulator/faults lists them (a fault is gone once used up)`, {
        status: 404,
        description: 'Not found',
      });
    }
    return { deleted: id };
  });
}
