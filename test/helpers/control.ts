import type { FastifyInstance, InjectOptions } from 'fastify';

/** A control API call (SPEC §8), from loopback unless `remoteAddress` says otherwise. */
export function control(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  options: { headers?: Record<string, string>; remoteAddress?: string } = {},
) {
  const request: InjectOptions = {
    method,
    url: `/_emulator${path}`,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  };
  return app.inject(request);
}

/** Adds a fault and returns its id. */
export async function addFault(app: FastifyInstance, fault: Record<string, unknown>): Promise<string> {
  const res = await control(app, 'POST', '/faults', fault);
  if (res.statusCode !== 201) throw new Error(`fault refused: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}
