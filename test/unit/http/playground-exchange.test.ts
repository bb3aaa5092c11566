import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { claimTimes, curlCommand, decodeJwt, formatRequest, formatResponse, prettyJson, shellQuote, type HttpRequestRecord } from '../../../src/http/pages/playground/exchange.js';
import { exchangeView } from '../../../src/http/pages/playground/view-model.js';

/** What a POSIX shell makes of a command line: the argv that `curl` would receive. */
function argvOf(command: string): string[] {
  const out = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const tricky = ["it's", 'a "b" $HOME `id` \\n', 'semi;colon && rm -rf / | cat', '!history', 'new\nline', '*.txt ~ #hash', '', 'plain-word_1.2:3/4', 'é ü 😀'];

const token: HttpRequestRecord = {
  method: 'POST',
  url: 'http://localhost:8080/oauth2/token',
  headers: [
    ['host', 'localhost:8080'],
    ['user-agent', 'askara-playground'],
    ['content-type', 'application/x-www-form-urlencoded'],
    ['authorization', 'Basic YTpi'],
    ['content-length', '29'],
  ],
  body: "grant_type=password&username=o'brien",
};

describe('shellQuote', () => {
  it.each(tricky)('gives the shell back exactly %j', (value) => {
    expect(execFileSync('sh', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' })).toBe(value);
  });

  it('leaves plain words bare and quotes everything else', () => {
    expect(shellQuote('http://localhost:8080/me')).toBe('http://localhost:8080/me');
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });
});

describe('curlCommand', () => {
  it('repeats a form POST: URL, the headers curl does not set itself, the body as raw data', () => {
    expect(curlCommand(token)).toBe(
      [
        'curl -i http://localhost:8080/oauth2/token \\',
        "  -H 'content-type: application/x-www-form-urlencoded' \\",
        "  -H 'authorization: Basic YTpi' \\",
        "  --data-raw 'grant_type=password&username=o'\\''brien'",
      ].join('\n'),
    );
  });

  it('reaches curl as exactly the intended arguments, whatever the values hold', () => {
    for (const value of tricky) {
      const request: HttpRequestRecord = { method: 'POST', url: 'http://127.0.0.1:1/x?a=b&c=d', headers: [['x-test', value]], body: value };
      expect(argvOf(curlCommand(request))).toEqual(['-i', 'http://127.0.0.1:1/x?a=b&c=d', '-H', `x-test: ${value}`, '--data-raw', value]);
    }
  });

  it('names the method only when curl would not infer it', () => {
    expect(curlCommand({ method: 'GET', url: 'http://h/me', headers: [['authorization', 'Bearer t']] })).toBe("curl -i http://h/me \\\n  -H 'authorization: Bearer t'");
    expect(curlCommand({ method: 'POST', url: 'http://h/me', headers: [] })).toBe('curl -i -X POST http://h/me');
  });
});

describe('formatRequest and formatResponse', () => {
  it('write HTTP/1.1 messages: start line, headers, a blank line, the body', () => {
    expect(formatRequest({ ...token, url: 'http://localhost:8080/oauth2/token?x=1' })).toBe(
      "POST /oauth2/token?x=1 HTTP/1.1\nhost: localhost:8080\nuser-agent: askara-playground\ncontent-type: application/x-www-form-urlencoded\nauthorization: Basic YTpi\ncontent-length: 29\n\ngrant_type=password&username=o'brien",
    );
    expect(formatRequest({ method: 'GET', url: 'http://h/me', headers: [['host', 'h']] })).toBe('GET /me HTTP/1.1\nhost: h\n');
    expect(formatResponse({ status: 401, headers: [['www-authenticate', 'Bearer']], body: '' })).toBe('HTTP/1.1 401 Unauthorized\nwww-authenticate: Bearer\n');
    expect(formatResponse({ status: 200, headers: [], body: '{"a":1}' })).toBe('HTTP/1.1 200 OK\n\n{"a":1}');
    expect(formatResponse({ status: 299, headers: [], body: '' })).toBe('HTTP/1.1 299\n');
  });

  it('indent JSON bodies and leave others alone', () => {
    expect(prettyJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson('<html>')).toBeUndefined();
    expect(prettyJson('')).toBeUndefined();
  });
});

describe('decodeJwt', () => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it('decodes the header and claims of a compact JWS without checking its signature', () => {
    expect(decodeJwt(`${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: 'u', exp: 1768471200 })}.sig`)).toEqual({
      header: { alg: 'RS256', typ: 'JWT' },
      claims: { sub: 'u', exp: 1768471200 },
    });
  });

  it.each(['', 'def50200abcd', 'a.b', 'a.b.c.d', `${part([1])}.${part({})}.s`, `${part({})}.${part('x')}.s`, '!!.??.s', `${part({})}.bm90IGpzb24.s`])('answers undefined for %j', (value) => {
    expect(decodeJwt(value)).toBeUndefined();
  });

  it('lists iat, nbf and exp as dates', () => {
    expect(claimTimes({ iat: 0, exp: 1768471200, nbf: 'soon', sub: 1 })).toEqual([
      { name: 'iat', seconds: 0, iso: '1970-01-01T00:00:00.000Z' },
      { name: 'exp', seconds: 1768471200, iso: '2026-01-15T10:00:00.000Z' },
    ]);
    expect(claimTimes({ exp: 1e15 })).toEqual([]);
  });
});

describe('exchangeView', () => {
  it('explains each form parameter, cuts long values in the table and decodes the access token', () => {
    const jwt = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"u"}').toString('base64url')}.s`;
    const view = exchangeView({
      request: { ...token, body: `grant_type=refresh_token&refresh_token=def50200${'a'.repeat(100)}` },
      response: { status: 200, headers: [['content-type', 'application/json']], body: JSON.stringify({ access_token: jwt }) },
    });
    expect(view.ok).toBe(true);
    expect(view.params[0]).toEqual({ name: 'grant_type', value: 'refresh_token', help: 'Which grant this token request uses.' });
    expect(view.params[1]?.value).toBe(`def50200${'a'.repeat(56)}… (108 characters)`);
    expect(view.jwt?.claims).toBe('{\n  "sub": "u"\n}');
    expect(view.responseText).toBe('HTTP/1.1 200 OK\ncontent-type: application/json');
  });

  it('shows an error response as not ok, with no token', () => {
    const view = exchangeView({ request: token, response: { status: 400, headers: [], body: '{"error":"invalid_grant"}' } });
    expect(view.ok).toBe(false);
    expect(view.jwt).toBeUndefined();
    expect(view.body).toBe('{\n  "error": "invalid_grant"\n}');
  });
});
