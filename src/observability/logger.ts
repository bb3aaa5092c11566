import type { FastifyServerOptions } from 'fastify';
import { logRedactPaths, REDACTED } from './redact.js';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/**
 * pino options for the server (SPEC §14): JSON lines at `level`, with credential headers and
 * secret body fields redacted wherever a log call puts them. `stream` is for tests that read the
 * log (default: stdout).
 */
export function loggerOptions(level: string, stream?: LoggerOptions['stream']): LoggerOptions {
  return {
    level,
    redact: { paths: logRedactPaths(), censor: REDACTED },
    ...(stream ? { stream } : {}),
  };
}
