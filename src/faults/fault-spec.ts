import { invalidRequest } from '../oauth/errors.js';

/**
 * A fault of the control API (SPEC §8): the next `times` requests matching `method` and `path`
 * get `status`/`body`/`headers` (or a preset), after `delayMs`; a delay alone delays the real answer.
 */
export const FAULT_PRESETS = ['rate_limited', 'server_error', 'unavailable'] as const;
export type FaultPreset = (typeof FAULT_PRESETS)[number];

export interface FaultSpec {
  /** Upper-case method, or null for any. */
  method: string | null;
  /** Exact path (no query), or null for any path outside /_emulator. */
  path: string | null;
  preset: FaultPreset | null;
  status: number | null;
  /** The JSON body to answer with; `undefined` answers an empty body. */
  body: unknown;
  headers: Record<string, string>;
  delayMs: number;
  times: number;
}

const FIELDS = ['method', 'path', 'preset', 'status', 'body', 'headers', 'delayMs', 'times'];
// RFC 9110 §5.6.2: token = 1*tchar
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// set by Node from the body and the connection; a fault that overrides them breaks the response
const FRAMING_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer'];

export const CONTROL_PREFIX = '/_emulator';

/** The console (SPEC §13) removes faults too, so it is never faulted either. */
export const CONSOLE_PREFIX = '/console';

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Paths no fault applies to: the control API and the console, which are how faults are removed. */
export function isControlPath(path: string): boolean {
  return under(path, CONTROL_PREFIX) || under(path, CONSOLE_PREFIX);
}

function integer(value: unknown, name: string, min: number, max: number, meaning: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidRequest(`\`${name}\` must be a whole number from ${min} to ${max} (${meaning}); received ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return value;
}

function method(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !/^[A-Za-z]{1,20}$/.test(value)) {
    throw invalidRequest(`\`method\` must be an HTTP method such as "POST" (or left out for any method); received ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return value.toUpperCase();
}

function path(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 2048 || /[?#\s]/.test(value)) {
    throw invalidRequest(
      `\`path\` must be a request path such as "/oauth2/token", starting with "/" and without a query string; received ${JSON.stringify(value)?.slice(0, 80)}`,
    );
  }
  if (isControlPath(value)) {
    const prefix = under(value, CONTROL_PREFIX) ? CONTROL_PREFIX : CONSOLE_PREFIX;
    throw invalidRequest(`\`path\` ${value} is under ${prefix}/: the control API and the console cannot be faulted, since they are how faults are removed`);
  }
  return value;
}

function headers(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('`headers` must be a JSON object of header names to string values, such as {"Retry-After": "30"}');
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!TOKEN.test(name)) throw invalidRequest(`The header name ${JSON.stringify(name).slice(0, 60)} is not a valid HTTP field name (RFC 9110 §5.1)`);
    if (FRAMING_HEADERS.includes(name.toLowerCase())) {
      throw invalidRequest(`The header \`${name}\` cannot be faulted: the server sets it from the body and the connection`);
    }
    if (typeof v !== 'string' || v.length > 8192 || /[\r\n\0]/.test(v)) {
      throw invalidRequest(`The value of header \`${name}\` must be a string of at most 8192 characters without line breaks; received ${JSON.stringify(v)?.slice(0, 40)}`);
    }
    out[name] = v;
  }
  return out;
}

/** Validates a POST /_emulator/faults body; every problem is invalid_request naming the field. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalidRequest('Send a JSON object such as {"path": "/oauth2/token", "status": 503, "times": 1} or {"preset": "rate_limited"}');
  }
  const body = input as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw invalidRequest(`Unknown field \`${unknown[0]?.slice(0, 40)}\`; a fault takes: ${FIELDS.join(', ')}`);

  let preset: FaultPreset | null = null;
  if (body.preset !== undefined) {
    if (!FAULT_PRESETS.includes(body.preset as FaultPreset)) {
      throw invalidRequest(`\`preset\` must be one of ${FAULT_PRESETS.join(', ')}; received ${JSON.stringify(body.preset)?.slice(0, 40)}`);
    }
    preset = body.preset as FaultPreset;
    const mixed = ['status', 'body', 'headers'].filter((k) => body[k] !== undefined);
    if (mixed.length) throw invalidRequest(`\`preset\` sets the answer itself; remove ${mixed.join(', ')} or give no preset`);
  }
  // a 1xx is not a final answer (RFC 9110 §15.2): the client would wait for one forever
  const status = body.status === undefined ? null : integer(body.status, 'status', 200, 599, 'the HTTP status to answer');
  const delayMs = body.delayMs === undefined ? 0 : integer(body.delayMs, 'delayMs', 0, 60_000, 'milliseconds to wait before answering');
  const times = body.times === undefined ? 1 : integer(body.times, 'times', 1, 10_000, 'how many matching requests get the fault');
  if (status === null && preset === null) {
    if (body.body !== undefined || body.headers !== undefined) throw invalidRequest('`body` and `headers` need a `status` to answer with');
    if (delayMs === 0) throw invalidRequest('Give `status` (the answer), `preset`, or `delayMs` of at least 1 (to delay the real answer)');
  }
  return { method: method(body.method), path: path(body.path), preset, status, body: body.body, headers: headers(body.headers), delayMs, times };
}
