import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/observability/logger.js';
import { buildTestApp } from '../helpers/app.js';
import { addFault } from '../helpers/control.js';
import { ALICE, WEB } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, basicAuth, formOf, postToken, redirectParams } from '../helpers/oauth.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  return { stream, text, lines: () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('request logs (SPEC §14)', () => {
  it('write one line per request with its id, client, grant type, outcome and duration, and never a secret', async () => {
    const log = capture();
    const { app } = await buildTestApp({ logger: loggerOptions('info', log.stream) });
    const browser = new Browser(app);
    const login = await browser.go('GET', authorizeQuery({ state: 'st' }));
    const loginForm = formOf(login.body);
    const consent = await browser.go('POST', loginForm.action, { _csrf: loginForm.csrf, email: ALICE.email, password: ALICE.password });
    const consentForm = formOf(consent.body);
    const done = await browser.go('POST', consentForm.action, { _csrf: consentForm.csrf, decision: 'authorize' });
    const code = redirectParams(done).get('code') ?? '';
    const basic = basicAuth(WEB.clientId, WEB.clientSecret);
    const tokens = (await postToken(app, { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0] }, { headers: { authorization: basic } })).json();
    const refreshed = await postToken(app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: WEB.clientId, client_secret: WEB.clientSecret });
    await app.inject({ method: 'GET', url: `/me?access_token=${tokens.access_token}`, headers: { authorization: `Bearer ${tokens.access_token}` } });
    await postToken(app, { grant_type: 'refresh_token', refresh_token: 'def50200abc', client_id: WEB.clientId, client_secret: 'wrong-secret-value' });

    const text = log.text();
    const secrets = [ALICE.password, WEB.clientSecret, 'wrong-secret-value', code, tokens.access_token, tokens.refresh_token, refreshed.json().refresh_token, loginForm.csrf, basic.slice(6)];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('askara_session=');

    const requests = log.lines().filter((l) => l.msg === 'request completed');
    expect(requests).toHaveLength(9);
    for (const line of requests) {
      expect(line).toMatchObject({ reqId: expect.stringMatching(/^req-/), durationMs: expect.any(Number), outcome: expect.any(String) });
      expect(line).toHaveProperty('clientId');
      expect(line).toHaveProperty('grantType');
    }
    const tokenLines = requests.filter((l) => l.url === '/oauth2/token');
    expect(tokenLines.map((l) => [l.clientId, l.grantType, l.outcome, l.statusCode])).toEqual([
      [WEB.clientId, 'authorization_code', 'ok', 200],
      [WEB.clientId, 'refresh_token', 'ok', 200],
      [WEB.clientId, 'refresh_token', 'invalid_client', 401],
    ]);
    const me = requests.find((l) => String(l.url).startsWith('/me'));
    expect(me).toMatchObject({ method: 'GET', url: '/me?access_token=[REDACTED]', statusCode: 200, remoteAddress: '127.0.0.1' });
    expect(me?.clientId).toBe(WEB.clientId);
  });

  it('shortens a client_id no client is registered under (it may be a pasted secret) in the log and the journal, but not a registered one', async () => {
    const log = capture();
    const { app, context } = await buildTestApp({ logger: loggerOptions('info', log.stream) });
    const pasted = 'my-real-client-secret-0123456789';
    const unknown = await postToken(app, { grant_type: 'client_credentials', client_id: pasted, client_secret: 'x' });
    expect(unknown.json().hint).toBe(`No client is registered with client_id \`${pasted}\``);
    await postToken(app, { grant_type: 'refresh_token', refresh_token: 'def50200abc', client_id: WEB.clientId, client_secret: 'wrong' });

    expect(log.text()).not.toContain(pasted);
    const [first, second] = log.lines().filter((l) => l.msg === 'request completed');
    expect(first).toMatchObject({ clientId: 'my-r…', outcome: 'invalid_client', hint: 'No client is registered with client_id `my-r…`' });
    expect(second).toMatchObject({ clientId: WEB.clientId, outcome: 'invalid_client' });
    const journal = context.journal.recent(2);
    expect(journal.map((e) => e.clientId)).toEqual([WEB.clientId, 'my-r…']);
    expect(JSON.stringify(journal)).not.toContain(pasted);
  });

  it('at LOG_LEVEL=warn writes only the lines of 5xx answers, at error level; the journal still records every request', async () => {
    const log = capture();
    const { app, context } = await buildTestApp({ logger: loggerOptions('warn', log.stream) });
    await addFault(app, { method: 'GET', path: '/healthz', status: 503 });
    expect((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode).toBe(200);
    expect((await postToken(app, { grant_type: 'client_credentials', client_id: WEB.clientId, client_secret: 'wrong' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);

    const requests = log.lines().filter((l) => l.msg === 'request completed');
    expect(requests.map((l) => [l.level, l.url, l.statusCode])).toEqual([[50, '/healthz', 503]]);
    expect(context.journal.recent(3).map((e) => [e.path, e.status])).toEqual([
      ['/healthz', 503],
      ['/oauth2/token', 401],
      ['/.well-known/jwks.json', 200],
    ]);
  });

  it('redacts credential headers and secret fields wherever a log call puts them', () => {
    const log = capture();
    const logger = pino(loggerOptions('info', log.stream) as pino.LoggerOptions, log.stream);
    logger.info({
      req: { headers: { authorization: 'Bearer eyJsecret', cookie: 'askara_session=abc' } },
      res: { headers: { 'set-cookie': 'askara_session=def' } },
      body: { password: 'pw-1', client_secret: 'cs-1', code: 'c-1', refresh_token: 'rt-1', access_token: 'at-1', device_code: 'dc-1', code_verifier: 'cv-1', token: 't-1', client_id: 'web' },
      password: 'pw-2',
    });
    const [line] = log.lines();
    expect(line).toMatchObject({
      req: { headers: { authorization: '[REDACTED]', cookie: '[REDACTED]' } },
      res: { headers: { 'set-cookie': '[REDACTED]' } },
      body: {
        password: '[REDACTED]',
        client_secret: '[REDACTED]',
        code: '[REDACTED]',
        refresh_token: '[REDACTED]',
        access_token: '[REDACTED]',
        device_code: '[REDACTED]',
        code_verifier: '[REDACTED]',
        token: '[REDACTED]',
        client_id: 'web',
      },
      password: '[REDACTED]',
    });
  });
});
