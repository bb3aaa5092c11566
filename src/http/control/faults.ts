import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Fault } from '../../faults/fault-store.js';
import { FAULT_PRESETS, parseFaultSpec } from '../../faults/fault-spec.js';
import { invalidRequest } from '../../oauth/errors.js';
import { adminGuard, documented, errors, guardErrors } from '../schemas.js';

const fault = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    method: { type: ['string', 'null'], description: 'null: any method' },
    path: { type: ['string', 'null'], description: 'null: any path outside /_emulator' },
    preset: { type: ['string', 'null'], enum: [...FAULT_PRESETS, null] },
    status: { type: ['integer', 'null'] },
    body: { description: 'The JSON (or text) to answer with' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    delayMs: { type: 'integer' },
    times: { type: 'integer' },
    remaining: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const addSchema = documented({
  tags: ['Control'],
  summary: 'Add a fault: the next matching requests get this answer',
  description:
    'Either a custom answer (`status` and/or `delayMs`, with `body` and `headers`) or a `preset`. A delay alone delays the real answer. ' +
    '`rate_limited` answers exactly as an empty rate-limit bucket would.',
  security: adminGuard,
  body: {
    type: 'object',
    properties: {
      method: { type: 'string', description: 'e.g. POST; default any' },
      path: { type: 'string', description: 'exact path, e.g. /oauth2/token; default any outside /_emulator' },
      preset: { type: 'string', enum: [...FAULT_PRESETS] },
      status: { type: 'integer', minimum: 100, maximum: 599 },
      body: { description: 'JSON to answer with (a string answers text/plain)' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      delayMs: { type: 'integer', minimum: 0 },
      times: { type: 'integer', minimum: 1, default: 1 },
    },
  },
  response: { 201: { type: 'object', description: 'Added', properties: { id: { type: 'string' } } }, ...errors(400), ...guardErrors },
});

const listSchema = documented({
  tags: ['Control'],
  summary: 'List the pending faults',
  security: adminGuard,
  response: { 200: { type: 'object', properties: { faults: { type: 'array', items: fault } } }, ...guardErrors },
});

const clearSchema = documented({
  tags: ['Control'],
  summary: 'Remove every pending fault',
  security: adminGuard,
  response: { 200: { type: 'object', properties: { cleared: { type: 'integer', description: 'how many were removed' } } }, ...guardErrors },
});

const removeSchema = documented({
  tags: ['Control'],
  summary: 'Remove one pending fault',
  security: adminGuard,
  params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  response: { 200: { type: 'object', properties: { deleted: { type: 'string' } } }, ...errors(404), ...guardErrors },
});

function view(fault: Fault) {
  const { id, method, path, preset, status, body, headers, delayMs, times, remaining, createdAt } = fault;
  return { id, method, path, preset, status, body, headers, delayMs, times, remaining, createdAt: new Date(createdAt).toISOString() };
}

/** POST, GET and DELETE /_emulator/faults and DELETE /_emulator/faults/:id (SPEC §8). */
export async function faultRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/faults', addSchema, async (request, reply) => {
    const fault = context.faults.add(parseFaultSpec(request.body), context.clock.now());
    request.log.info({ fault: view(fault) }, 'fault added');
    return reply.code(201).send({ id: fault.id });
  });
  app.get('/faults', listSchema, async () => ({ faults: context.faults.list().map(view) }));
  app.delete('/faults', clearSchema, async () => ({ cleared: context.faults.clear() }));
  app.delete<{ Params: { id: string } }>('/faults/:id', removeSchema, async (request) => {
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
