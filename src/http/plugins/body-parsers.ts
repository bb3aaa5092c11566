import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { invalidRequest } from '../../oauth/errors.js';
import { JSON_BODY } from '../../oauth/request-parameters.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** SPEC §5: bytes that are not UTF-8 are refused with a hint, not silently replaced by U+FFFD. */
function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw invalidRequest('The body is not valid UTF-8; send it encoded as UTF-8');
  }
}

/** RFC 6749 Appendix B: application/x-www-form-urlencoded with UTF-8, `+` for a space. */
function decodeFormComponent(raw: string, field: string | undefined): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // the value is never echoed: it may be a secret
    throw invalidRequest(
      field === undefined
        ? 'A form field name is not valid percent-encoded UTF-8 (RFC 6749 Appendix B); encode names with encodeURIComponent or URLSearchParams'
        : `The form field \`${field.slice(0, 60)}\` is not valid percent-encoded UTF-8 (RFC 6749 Appendix B); encode values with encodeURIComponent or URLSearchParams`,
    );
  }
}

/** A form as an object; a repeated field becomes an array, which Params refuses when it is read. */
function parseForm(text: string): Record<string, string | string[]> {
  // @fastify/formbody decodes the bytes leniently: a replacement character means they were not UTF-8
  if (text.includes('\uFFFD')) throw invalidRequest('The body is not valid UTF-8; send it encoded as UTF-8');
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq < 0 ? pair : pair.slice(0, eq), undefined);
    const value = decodeFormComponent(eq < 0 ? '' : pair.slice(eq + 1), name);
    const previous = fields[name];
    fields[name] = previous === undefined ? value : [previous, value].flat();
  }
  return fields;
}

/**
 * Request bodies (SPEC §6): JSON and application/x-www-form-urlencoded on every endpoint, both
 * strictly UTF-8. A JSON request with no body at all (the quickstart's `curl -X POST /me -H
 * "Content-Type: application/json"`) parses as no parameters instead of failing.
 */
export const bodyParsers = fp(
  async (app: FastifyInstance) => {
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const text = decodeUtf8(body as Buffer);
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      json(request, text, (error: Error | null, parsed?: unknown) => {
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          Object.defineProperty(parsed, JSON_BODY, { value: true });
        }
        done(error, parsed);
      });
    });
    await app.register(formbody, { parser: parseForm });
    // Fastify parses text/plain by default; no endpoint takes it, so it is refused as any other type
    app.removeContentTypeParser('text/plain');
  },
  { name: 'body-parsers' },
);
