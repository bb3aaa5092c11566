import type { AppContext } from '../../context.js';
import { invalidRequest } from '../../oauth/errors.js';

/** The clock as the control API and the console show it (SPEC §8). */
export function clockState(context: Pick<AppContext, 'clock'>) {
  return { now: new Date(context.clock.now()).toISOString(), offsetSeconds: context.clock.offsetSeconds };
}

export type ClockChange = { advance?: unknown; set?: unknown; reset?: unknown } | undefined;

/**
 * Moves the emulator clock (SPEC §8): `{"advance": s}`, `{"set": ISO-8601}` or `{"reset": true}`.
 * Throws invalid_request naming what was wrong, and then changes nothing.
 */
export function moveClock(context: Pick<AppContext, 'clock'>, body: ClockChange): void {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest('Send a JSON object: {"advance": seconds}, {"set": "ISO-8601"} or {"reset": true}');
  }
  const ops = (['advance', 'set', 'reset'] as const).filter((k) => body[k] !== undefined);
  if (ops.length !== 1) throw invalidRequest(`Send exactly one of advance, set or reset; received ${ops.length ? ops.join(', ') : 'none'}`);
  if (body.advance !== undefined) {
    if (typeof body.advance !== 'number' || !Number.isFinite(body.advance) || Math.abs(body.advance) > 100 * 365 * 86400) {
      throw invalidRequest('advance must be a number of seconds (negative moves back), within 100 years');
    }
    context.clock.advance(body.advance);
  } else if (body.set !== undefined) {
    const at = typeof body.set === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(body.set) ? Date.parse(body.set) : Number.NaN;
    if (Number.isNaN(at)) throw invalidRequest('set must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z');
    context.clock.set(at);
  } else {
    if (body.reset !== true) throw invalidRequest('reset must be true');
    context.clock.reset();
  }
}
