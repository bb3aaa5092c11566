import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../../src/observability/logger.js';
import { REDACTED, SECRET_FIELDS } from '../../../src/observability/redact.js';

/** The logger as the server makes it: Fastify's, with the server's pino options. */
function capture() {
  const lines: string[] = [];
  const { log } = Fastify({ logger: loggerOptions('trace', { write: (line: string) => void lines.push(line) }) });
  return { log, lines };
}

describe('the server logger (pino redaction)', () => {
  it('redacts every secret field at the top level and in the objects a log call may carry', () => {
    const { log, lines } = capture();
    const secrets = Object.fromEntries(SECRET_FIELDS.map((f) => [f, `s3cret-${f}-value`]));
    log.child({ reqId: 'req-1' }).info({
      ...secrets,
      body: secrets,
      query: secrets,
      params: secrets,
      headers: { authorization: 'Basic s3cret-basic', cookie: 'sid=s3cret-cookie' },
      // Fastify's own serializer rebuilds `req` from a request object; its paths are redacted too
      req: { headers: { authorization: 'Basic s3cret-basic', cookie: 'sid=s3cret-cookie' }, body: secrets, query: secrets },
      err: { message: 'boom', body: secrets },
    });
    const line = lines.join('\n');
    expect(line).not.toContain('s3cret');
    expect(line).toContain(REDACTED);
    expect(JSON.parse(lines[0]!)).toMatchObject({ reqId: 'req-1', body: { password: REDACTED }, headers: { authorization: REDACTED, cookie: REDACTED } });
  });

  it('keeps what is not secret', () => {
    const { log, lines } = capture();
    log.info({ clientId: 'web', grantType: 'refresh_token', body: { grant_type: 'refresh_token', scope: 'profile' } }, 'request completed');
    expect(JSON.parse(lines[0]!)).toMatchObject({ clientId: 'web', body: { grant_type: 'refresh_token', scope: 'profile' }, msg: 'request completed' });
  });
});
