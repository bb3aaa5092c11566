import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Request bodies (SPEC §6): JSON and application/x-www-form-urlencoded on every endpoint. A JSON
 * request with no body at all (the quickstart's `curl -X POST /me -H "Content-Type:
 * application/json"`) parses as no parameters instead of failing.
 */
export const bodyParsers = fp(
  async (app: FastifyInstance) => {
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (typeof body === 'string' && body.trim() === '') {
        done(null, undefined);
        return;
      }
      json(request, String(body), done);
    });
    await app.register(formbody);
    // Fastify parses text/plain by default; no endpoint takes it, so it is refused as any other type
    app.removeContentTypeParser('text/plain');
  },
  { name: 'body-parsers' },
);
