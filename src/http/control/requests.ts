import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { invalidRequest } from '../../oauth/errors.js';

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

/**
 * GET /_emulator/requests?limit=N (SPEC §8): the most recent requests, newest first, with the
 * OAuth error and hint each ended with. Paths carry no query string; tokens never appear in full.
 */
export async function requestJournalRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.get('/requests', async (request) => ({ requests: context.journal.recent(limitOf(request.query)) }));
}
