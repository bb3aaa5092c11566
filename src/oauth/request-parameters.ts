import { invalidRequest } from './errors.js';

/**
 * The parameters of one request, from a JSON object, a form or a query string (SPEC §6: every
 * JSON endpoint takes both). Values are checked when read, so unknown parameters are ignored
 * (RFC 6749 §3.2) while a known one sent twice or with a non-string value is refused.
 */
/** Marks a parsed JSON body, where an array is a value of the wrong type rather than a repeated field. */
export const JSON_BODY: unique symbol = Symbol('askara.jsonBody');

export class Params {
  private constructor(
    private readonly raw: Record<string, unknown>,
    private readonly fromJson = false,
  ) {}

  static from(body: unknown): Params {
    if (body === undefined || body === null || body === '') return new Params({});
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw invalidRequest(
        `The request body must be a JSON object or a form; received ${Array.isArray(body) ? 'a JSON array' : `a JSON ${typeof body}`}`,
      );
    }
    return new Params(body as Record<string, unknown>, (body as { [JSON_BODY]?: boolean })[JSON_BODY] === true);
  }

  /**
   * The value of `name`, or undefined when absent. RFC 6749 §3.1: "Parameters sent without a
   * value MUST be treated as if they were omitted" and "MUST NOT be included more than once".
   */
  get(name: string): string | undefined {
    if (!Object.hasOwn(this.raw, name)) return undefined;
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (Array.isArray(value) && !this.fromJson) throw invalidRequest(`The \`${name}\` parameter was sent ${value.length} times; send it once`);
    if (typeof value !== 'string') {
      throw invalidRequest(`The \`${name}\` parameter must be a string; received a JSON ${Array.isArray(value) ? 'array' : typeof value}`);
    }
    return value;
  }

  /** The value of `name`, or invalid_request naming it and saying what is expected. */
  require(name: string, expected: string): string {
    const value = this.get(name);
    if (value === undefined) throw invalidRequest(`Check the \`${name}\` parameter: it is missing; expected ${expected}`);
    return value;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}
