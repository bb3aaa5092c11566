import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, WEB } from '../helpers/fixtures.js';
import { basicAuth, codeFor, databaseSnapshot, postToken, tokensFor } from '../helpers/oauth.js';

const CALLBACK = WEB.redirectUris[0];
const INVALID_REQUEST =
  'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.';
const CLIENT_FAILED = 'Client authentication failed';
const BASIC_CHALLENGE = 'Basic realm="askara-emulator", charset="UTF-8"';

/** An app holding a live code and a live token pair, so a refused request has something it could wrongly change. */
async function withLiveState() {
  const test = await buildTestApp({ config: { interactiveLogin: false } });
  const tokens = await tokensFor(test.app);
  const code = await codeFor(test.app);
  return { ...test, code, tokens, before: databaseSnapshot(test.context) };
}

function send(app: TestApp['app'], payload: string | Buffer | undefined, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/oauth2/token', headers, ...(payload === undefined ? {} : { payload }) });
}

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** Asserts the SPEC §5 error: status, JSON body exactly, no-store, and that nothing was stored or changed. */
function expectRefused(
  res: LightMyRequestResponse,
  live: Awaited<ReturnType<typeof withLiveState>>,
  status: number,
  body: { error: string; error_description: string; hint: string },
) {
  expect({ status: res.statusCode, body: res.json() }).toEqual({ status, body });
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(databaseSnapshot(live.context)).toEqual(live.before);
}

function exchangeBody(code: string): Record<string, string> {
  return { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: WEB.clientId, client_secret: WEB.clientSecret };
}

describe('POST /oauth2/token with bad input (SPEC §5)', () => {
  it('refuses malformed JSON', async () => {
    const live = await withLiveState();
    const res = await send(live.app, '{"grant_type": "authorization_code", "code": ', json);
    expectRefused(res, live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: "The body is not valid JSON: Body is not valid JSON but content-type is set to 'application/json'",
    });
  });

  it.each([
    ['an array', '[1, 2]', 'a JSON array'],
    ['a string', '"grant_type=authorization_code"', 'a JSON string'],
    ['a number', '42', 'a JSON number'],
  ])('refuses a JSON body that is %s, not an object', async (_what, payload, received) => {
    const live = await withLiveState();
    expectRefused(await send(live.app, payload, json), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: `The request body must be a JSON object or a form; received ${received}`,
    });
  });

  it.each([
    ['application/xml', '<grant_type>authorization_code</grant_type>'],
    ['text/plain', 'grant_type=authorization_code'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('refuses the content type %s, naming it', async (contentType, payload) => {
    const live = await withLiveState();
    expectRefused(await send(live.app, payload, { 'content-type': contentType }), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: `Content-Type \`${contentType}\` is not accepted here; send application/json or application/x-www-form-urlencoded`,
    });
  });

  it('refuses a body without a content type, saying so', async () => {
    const live = await withLiveState();
    expectRefused(await send(live.app, new URLSearchParams(exchangeBody(live.code)).toString()), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'The request has a body but no Content-Type; send application/json or application/x-www-form-urlencoded',
    });
  });

  it.each([
    ['JSON', json, (code: string) => JSON.stringify({ ...exchangeBody(code), padding: 'x'.repeat(70_000) })],
    ['form', form, (code: string) => new URLSearchParams({ ...exchangeBody(code), padding: 'x'.repeat(70_000) }).toString()],
  ])('refuses an oversized %s body with 413 without reading it', async (_what, headers, body) => {
    const live = await withLiveState();
    expectRefused(await send(live.app, body(live.code), headers), live, 413, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'The body is larger than this endpoint accepts (64 KiB)',
    });
  });

  it.each(['grant_type', 'code', 'client_id', 'client_secret', 'redirect_uri'])('refuses a form that sends %s twice, and does not consume the code', async (name) => {
    const live = await withLiveState();
    const params = new URLSearchParams(exchangeBody(live.code));
    params.append(name, params.get(name) ?? '');
    expectRefused(await send(live.app, params.toString(), form), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: `The \`${name}\` parameter was sent 2 times; send it once`,
    });
    expect((await postToken(live.app, exchangeBody(live.code))).statusCode).toBe(200);
  });

  it.each([
    ['grant_type', 42, 'a JSON number'],
    ['code', { $ne: null }, 'a JSON object'],
    ['client_secret', true, 'a JSON boolean'],
  ])('refuses a non-string JSON value for %s', async (name, value, received) => {
    const live = await withLiveState();
    const body = { ...exchangeBody(live.code), [name]: value };
    expectRefused(await send(live.app, JSON.stringify(body), json), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: `The \`${name}\` parameter must be a string; received ${received}`,
    });
  });

  it('refuses a JSON array where a string is expected, without calling it a duplicate', async () => {
    const live = await withLiveState();
    expectRefused(await send(live.app, JSON.stringify({ ...exchangeBody(live.code), code: [live.code] }), json), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'The `code` parameter must be a string; received a JSON array',
    });
  });

  it.each([
    ['a JSON body', json, Buffer.concat([Buffer.from('{"grant_type": "authorization_code", "code": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])],
    ['a form body', form, Buffer.concat([Buffer.from('grant_type=authorization_code&code='), Buffer.from([0xc3, 0x28])])],
  ])('refuses %s with bytes that are not UTF-8', async (_what, headers, payload) => {
    const live = await withLiveState();
    expectRefused(await send(live.app, payload, headers), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'The body is not valid UTF-8; send it encoded as UTF-8',
    });
  });

  it.each([
    ['percent-encoded bytes that are not UTF-8', 'code=%FF%FE'],
    ['a malformed percent sign', 'code=abc%zz'],
  ])('refuses a form field with %s, naming the field but not its value', async (_what, field) => {
    const live = await withLiveState();
    const res = await send(live.app, `grant_type=authorization_code&${field}&client_id=${WEB.clientId}`, form);
    expectRefused(res, live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'The form field `code` is not valid percent-encoded UTF-8 (RFC 6749 Appendix B); encode values with encodeURIComponent or URLSearchParams',
    });
  });

  it('refuses a form field name that is not valid percent-encoding', async () => {
    const live = await withLiveState();
    expectRefused(await send(live.app, 'grant_type=authorization_code&%E0%A4%A=1', form), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'A form field name is not valid percent-encoded UTF-8 (RFC 6749 Appendix B); encode names with encodeURIComponent or URLSearchParams',
    });
  });

  it('accepts UTF-8 in a form, raw or percent-encoded, and + as a space', async () => {
    const live = await withLiveState();
    const res = await send(live.app, `grant_type=authorization_code&code=${live.code}&redirect_uri=${encodeURIComponent(CALLBACK)}&client_id=${WEB.clientId}&client_secret=${WEB.clientSecret}&note=caf%C3%A9+cr\u00e8me`, form);
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['an empty JSON body', '', json],
    ['an empty object', '{}', json],
    ['no body at all', undefined, {}],
    ['an empty form', '', form],
  ])('refuses %s, naming the missing grant_type', async (_what, payload, headers) => {
    const live = await withLiveState();
    expectRefused(await send(live.app, payload, headers), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: `Check the \`grant_type\` parameter: it is missing; expected one of: ${live.context.grants.grantTypes.join(', ')}`,
    });
  });

  it('refuses a missing code, naming it', async () => {
    const live = await withLiveState();
    const { code: _code, ...body } = exchangeBody(live.code);
    expectRefused(await postToken(live.app, body), live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'Check the `code` parameter: it is missing; expected the authorization code your redirect_uri received',
    });
  });

  it('refuses an unknown grant type with unsupported_grant_type, listing the supported ones', async () => {
    const live = await withLiveState();
    expectRefused(await postToken(live.app, { ...exchangeBody(live.code), grant_type: 'urn:example:magic' }), live, 400, {
      error: 'unsupported_grant_type',
      error_description: 'The authorization grant type is not supported by the authorization server.',
      hint: `grant_type \`urn:example:magic\` is not supported; use one of: ${live.context.grants.grantTypes.join(', ')}`,
    });
  });

  it('refuses a client that authenticates both by Basic and by client_secret in the body', async () => {
    const live = await withLiveState();
    const res = await postToken(live.app, { grant_type: 'authorization_code', code: live.code, redirect_uri: CALLBACK, client_secret: WEB.clientSecret }, {
      headers: { authorization: basicAuth(WEB.clientId, WEB.clientSecret) },
    });
    expectRefused(res, live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'The client authenticated twice: send client_secret either in the Authorization header or in the body, not both',
    });
  });

  it('answers invalid_client with 401 and WWW-Authenticate: Basic when Basic was tried', async () => {
    const live = await withLiveState();
    const res = await postToken(live.app, { grant_type: 'authorization_code', code: live.code, redirect_uri: CALLBACK }, {
      headers: { authorization: basicAuth(WEB.clientId, 'wrong-secret') },
    });
    expect(res.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
    expect(res.body).not.toContain('wrong-secret');
    expectRefused(res, live, 401, {
      error: 'invalid_client',
      error_description: CLIENT_FAILED,
      hint: `The client_secret does not match the one registered for \`${WEB.clientId}\``,
    });
  });

  it('answers invalid_client with 401 and no challenge when the secret was in the body', async () => {
    const live = await withLiveState();
    const res = await postToken(live.app, { ...exchangeBody(live.code), client_secret: 'wrong-secret' });
    expect(res.headers['www-authenticate']).toBeUndefined();
    expectRefused(res, live, 401, {
      error: 'invalid_client',
      error_description: CLIENT_FAILED,
      hint: `The client_secret does not match the one registered for \`${WEB.clientId}\``,
    });
  });

  it('answers invalid_client with 401 for an unknown client', async () => {
    const live = await withLiveState();
    expectRefused(await postToken(live.app, { ...exchangeBody(live.code), client_id: 'ghost' }), live, 401, {
      error: 'invalid_client',
      error_description: CLIENT_FAILED,
      hint: 'No client is registered with client_id `ghost`',
    });
  });

  it('answers invalid_client when a public client sends a secret', async () => {
    const live = await withLiveState();
    expectRefused(await postToken(live.app, { grant_type: 'authorization_code', code: live.code, client_id: DESKTOP.clientId, client_secret: 'x' }), live, 401, {
      error: 'invalid_client',
      error_description: CLIENT_FAILED,
      hint: `Client \`${DESKTOP.clientId}\` is public and has no secret: send client_id alone (and PKCE for the code flow)`,
    });
  });

  it('answers 405 with the allowed method for GET', async () => {
    const live = await withLiveState();
    const res = await live.app.inject({ method: 'GET', url: `/oauth2/token?grant_type=authorization_code&code=${live.code}` });
    expect(res.headers.allow).toBe('POST');
    expectRefused(res, live, 405, { error: 'invalid_request', error_description: 'Method not allowed', hint: 'GET is not supported on /oauth2/token; use POST' });
  });

  it('ignores unknown parameters (RFC 6749 §3.2), whatever their value', async () => {
    const live = await withLiveState();
    const res = await send(live.app, JSON.stringify({ ...exchangeBody(live.code), extra: { nested: [1] }, other: 7 }), json);
    expect(res.statusCode).toBe(200);
  });

  it('accepts a form whose content type carries a charset', async () => {
    const live = await withLiveState();
    const res = await send(live.app, new URLSearchParams(exchangeBody(live.code)).toString(), { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' });
    expect(res.statusCode).toBe(200);
  });
});

describe('requests refused before any route (SPEC §5)', () => {
  it('answers 404 for an unknown path that looks like a route pattern (a * before its end)', async () => {
    const live = await withLiveState();
    const res = await live.app.inject({ method: 'DELETE', url: '/docs/*/', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expectRefused(res, live, 404, {
      error: 'invalid_request',
      error_description: 'Not found',
      hint: 'There is no endpoint at DELETE /docs/*/; see /.well-known/oauth-authorization-server',
    });
  });

  it('answers a path that is not percent-encoded UTF-8 with the JSON error, not Fastify\'s own shape', async () => {
    const live = await withLiveState();
    const res = await live.app.inject({ method: 'POST', url: '/oauth2/token%ff' });
    expectRefused(res, live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'The request URL is malformed: its path is not valid percent-encoded UTF-8',
    });
  });

  it('answers a path parameter longer than the router accepts with the JSON error', async () => {
    const live = await withLiveState();
    const res = await live.app.inject({ method: 'GET', url: `/interaction/${'a'.repeat(101)}` });
    expectRefused(res, live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'A path segment of the request URL is longer than 100 characters; no identifier here is that long',
    });
  });

  it('answers a body of an unknown content type sent to an unknown path with the JSON error', async () => {
    const live = await withLiveState();
    const res = await live.app.inject({ method: 'PATCH', url: '/nowhere', headers: { 'content-type': 'application/' }, payload: '{}' });
    expectRefused(res, live, 400, {
      error: 'invalid_request',
      error_description: INVALID_REQUEST,
      hint: 'Content-Type `application/` is not accepted here; send application/json or application/x-www-form-urlencoded',
    });
  });
});
