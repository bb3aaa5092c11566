import type { FastifyInstance } from 'fastify';
import type { HttpExchange, HttpRequestRecord } from './exchange.js';

function pairs(flat: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] ?? '', flat[i + 1] ?? '']);
  return out;
}

/**
 * Sends one playground request through the whole app with `inject` (faults, rate limiting, the
 * journal and the logs see it as any client's request) and records the exchange exactly: the
 * request headers as the server received them, the response as it was sent.
 */
export async function runExchange(app: FastifyInstance, request: HttpRequestRecord): Promise<HttpExchange> {
  const url = new URL(request.url);
  const res = await app.inject({
    method: request.method as 'GET' | 'POST',
    url: `${url.pathname}${url.search}`,
    headers: Object.fromEntries(request.headers),
    ...(request.body !== undefined ? { payload: request.body } : {}),
  });
  const responseHeaders = Object.entries(res.headers).flatMap(([name, value]): Array<[string, string]> =>
    value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => [name, String(v)]),
  );
  return {
    request: { ...request, headers: pairs(res.raw.req.rawHeaders) },
    response: { status: res.statusCode, headers: responseHeaders, body: res.body },
  };
}
