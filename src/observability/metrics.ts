import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics (SPEC §14), on a registry of this emulator's own (not prom-client's global
 * one), so two emulators in one process (the library entry point, tests) never mix their counts.
 * Counters are monotonic: /_emulator/reset does not clear them.
 */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by route template and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const tokens = new Counter({
    name: 'oauth_tokens_issued_total',
    help: 'Access tokens issued, by grant type',
    labelNames: ['grant_type'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'oauth_errors_total',
    help: 'Requests that ended with an OAuth error, by error code',
    labelNames: ['error'] as const,
    registers,
  });
  return {
    registry,
    observeRequest(r: { route: string; method: string; status: number; seconds: number }): void {
      requests.inc({ route: r.route, method: r.method, status: String(r.status) });
      duration.observe({ route: r.route, method: r.method }, r.seconds);
    },
    tokenIssued(grantType: string): void {
      tokens.inc({ grant_type: grantType });
    },
    oauthError(code: string): void {
      errors.inc({ error: code });
    },
    /** Adds prom-client's process metrics (memory, CPU, event loop): for the server process only. */
    collectProcessMetrics(): void {
      collectDefaultMetrics({ register: registry });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
