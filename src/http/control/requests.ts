import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { invalidRequest } from '../../oauth/errors.js';
import { adminGuard, documented, errors, guardErrors } from '../schemas.js';

const DEFAULT_LIMIT = 50;

function limitOf(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.limit;
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const max = 1000;
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw invalidRequest(`\`limit\` must be a whole number from 1 to ${max} (default ${DEFAULT_LIMIT}); received ${JSON.stringify(raw).slice(0, 40)}`);
  }
  return Number(raw);
}

const nullableString = { type: ['string', 'null'] } as const;

const schema = documented({
  tags: ['Control'],
  summary: 'The most recent requests, newest first',
  description: 'Each with the OAuth error and hint it ended with. Paths carry no query string; passwords, secrets, codes and tokens never appear in full.',
  security: adminGuard,
  querystring: {
    type: 'object',
    properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: DEFAULT_LIMIT, description: 'How many' } },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        requests: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              at: { type: 'string', format: 'date-time', description: 'on the emulator clock' },
              method: { type: 'string' },
              path: { type: 'string' },
              status: { type: 'integer' },
              durationMs: { type: 'number' },
              clientId: nullableString,
              grantType: nullableString,
              error: nullableString,
              hint: nullableString,
            },
          },
        },
      },
    },
    ...errors(400),
    ...guardErrors,
  },
});

/**
 * GET /_emulator/requests?limit=N (SPEC §8): the most recent requests, newest first, with the
 * OAuth error and hint each ended with. Paths carry no query string; tokens never appear in full.
 */
export async function requestJournalRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.get('/requests', schema, async (request) => ({ requests: context.journal.recent(limitOf(request.query)) }));
}
