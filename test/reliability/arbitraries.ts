import fc from 'fast-check';

/**
 * Arbitraries of hostile HTTP requests for test/reliability/hostile-input.test.ts. A value may
 * carry `__REF_name__` markers: they are replaced at send time by live values of the world under
 * test (real client secrets, tokens, CSRF tokens…), so hostile requests also reach the code behind
 * client authentication and CSRF checks instead of stopping at the first gate.
 */

export interface HostileRequest {
  method: string;
  /** Raw path, possibly with broken percent-encoding or traversal. */
  path: string;
  /** Raw query string without `?` ('' for none). */
  query: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** The kind of hostility of the body, for the log line's counts. */
  bodyKind: string;
}

export const ref = (name: string) => `__REF_${name}__`;

/** Parameter names the endpoints read (SPEC §6, §8), plus prototype-pollution names. */
const PARAM_NAMES = [
  'grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope',
  'token', 'token_type_hint', 'username', 'password', 'device_code', 'user_code', 'email', 'user', '_csrf',
  'decision', 'response_type', 'state', 'code_challenge', 'code_challenge_method', 'login_hint', 'advance', 'set',
  'reset', 'status', 'path', 'method', 'times', 'preset', 'delayMs', 'body', 'headers', 'limit', 'id',
  '__proto__', 'constructor', 'prototype',
];

const INJECTIONS = [
  "' OR '1'='1", "1; DROP TABLE users; --", "\" OR \"\"=\"", "') UNION SELECT * FROM clients --",
  '<script>alert(1)</script>', '"><svg onload=alert(1)>', "'><img src=x onerror=alert(1)>", 'javascript:alert(1)',
  '{{7*7}}', '<%= it.title %>', '<%~ process.exit(1) %>', '${process.exit(1)}',
  '../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '\u0000', 'a\u0000b', '\r\nSet-Cookie: injected=1', '\r\nX-Injected: 1', '%0d%0aX-Injected:%201',
  '__proto__', 'constructor', '\uFEFF', '\uD800', '\uDFFF', '😀', '\u202E', 'NaN', '-1', '1e309', '0x10', 'true',
  'null', '[]', '{}', ' ', '', 'Basic', 'Bearer', 'http://evil.example/callback', '//evil.example',
];

/** Live values of the world (see `ref`): real ids and secrets mixed into hostile requests. */
const REFS = [
  'webId', 'webSecret', 'desktopId', 'serviceId', 'serviceSecret', 'aliceEmail', 'alicePassword', 'brunoUuid',
  'redirectUri', 'accessToken', 'refreshToken', 'deviceCode', 'userCode', 'interactionId', 'csrfToken',
  'grantCode', 'grantRefresh', 'grantDevice', 'grantPassword', 'grantClient', 'scopeProfile',
];

const huge = fc.constantFrom(1_000, 16_000, 60_000, 65_536, 70_000).map((n) => 'A'.repeat(n));

/** A string that is wrong in some way: random, injection-shaped, huge, or a real value in the wrong place. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 4, arbitrary: fc.constantFrom(...REFS).map(ref) },
  { weight: 1, arbitrary: huge },
);

/** A JSON value where the endpoints expect a string: numbers, arrays, objects, booleans, null. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, 1e308)) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PARAM_NAMES), hostileString, { maxKeys: 3 }) },
);

const paramName = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PARAM_NAMES) }, { weight: 1, arbitrary: hostileString });

/** Name/value pairs in which some names repeat (`a=1&a=2`). */
const pairs = fc
  .array(fc.tuple(paramName, hostileString), { maxLength: 6 })
  .chain((ps) => (ps.length === 0 ? fc.constant(ps) : fc.boolean().map((dup) => (dup ? [...ps, ps[0]!] : ps))));

/** Percent-encoding gone wrong: truncated escapes, non-hex digits, bytes that are not UTF-8. */
const BROKEN_ESCAPES = ['%', '%z', '%zz', '%4', '%C3%28', '%ff', '%fe%ff', '%c0%af', '%ED%A0%80', '%00', '%E0%A4%A', '%u0041', '%25%'];

function encodePairs(ps: Array<[string, string]>, broken: [string, string] | undefined): string {
  const enc = (s: string) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return s; // a lone surrogate cannot be encoded: send it raw
    }
  };
  const parts = ps.map(([k, v]) => `${enc(k)}=${enc(v)}`);
  if (broken !== undefined) parts.push(`${broken[0]}=${broken[1]}`);
  return parts.join('&');
}

const brokenPair = fc.option(fc.tuple(fc.constantFrom(...PARAM_NAMES), fc.constantFrom(...BROKEN_ESCAPES)), { nil: undefined });

export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 4, arbitrary: fc.tuple(pairs, brokenPair).map(([ps, b]) => encodePairs(ps, b)) },
  { weight: 1, arbitrary: fc.constantFrom('a[]=1&a[]=2', 'a[b][c]=1', 'a=1;b=2', '&&&', '=', '==', '?', '#x', '%', 'client_id=%ff', '__proto__[x]=1') },
  { weight: 1, arbitrary: huge.map((v) => `state=${v}`) },
);

const CONTENT_TYPES = [
  'application/json', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8',
  'application/x-www-form-urlencoded; charset=ISO-8859-1', 'application/json; charset=utf-16', 'APPLICATION/JSON',
  'text/plain', 'text/html', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream',
  ';;;', 'application/', '*/*', 'application/json, application/x-www-form-urlencoded', `application/${'x'.repeat(2000)}`,
  'application/json; charset="', 'application/x-www-form-urlencoded\u0000',
];

const INVALID_UTF8 = [
  Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82]),
  Buffer.concat([Buffer.from('{"client_id":"'), Buffer.from([0xff]), Buffer.from('"}')]),
  Buffer.concat([Buffer.from('client_id='), Buffer.from([0xc3, 0x28]), Buffer.from('&grant_type=password')]),
];

/** Bodies that are malformed, oversized, wrongly typed or wrongly encoded, with their kind. */
export const hostileBody: fc.Arbitrary<{ body: string | Buffer | undefined; kind: string }> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ body: undefined, kind: 'none' }) },
  { weight: 1, arbitrary: fc.constant({ body: '', kind: 'empty' }) },
  { weight: 4, arbitrary: fc.dictionary(paramName, hostileValue, { maxKeys: 6 }).map((o) => ({ body: JSON.stringify(o), kind: 'json-wrong-types' })) },
  { weight: 1, arbitrary: hostileValue.map((v) => ({ body: JSON.stringify(v) ?? 'undefined', kind: 'json-not-object' })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('{', '{"a":', '[', 'nul', '{"a":1,}', "{'a':1}", '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000{}', '{"a":"\\ud800"}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', `${'['.repeat(5000)}${']'.repeat(5000)}`, `{"a":${'1'.repeat(400)}}`).map((b) => ({ body: b, kind: 'json-malformed' })),
  },
  { weight: 4, arbitrary: fc.tuple(pairs, brokenPair).map(([ps, b]) => ({ body: encodePairs(ps, b), kind: b === undefined ? 'form-duplicates' : 'form-bad-escape' })) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_UTF8).map((b) => ({ body: b, kind: 'invalid-utf8' })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ body: Buffer.from(b), kind: 'garbage-bytes' })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(64 * 1024 - 64, 64 * 1024, 64 * 1024 + 1, 300_000).map((n) => ({ body: `client_id=${'A'.repeat(n)}`, kind: `oversized-${n}` })),
  },
  { weight: 1, arbitrary: fc.constantFrom('a=b\u0000c', 'a\u0000=1', '\u0000\u0000', '{"a":"\u0000"}').map((b) => ({ body: b, kind: 'nul-bytes' })) },
);

const AUTHORIZATION = [
  'Basic', 'Basic ', 'Basic !!!notbase64!!!', `Basic ${Buffer.from('nocolon').toString('base64')}`, `Basic ${Buffer.from(':').toString('base64')}`,
  `Basic ${Buffer.from('a:b:c').toString('base64')}`, `Basic ${Buffer.from('%zz:%zz').toString('base64')}`,
  `Basic ${Buffer.from([0xff, 0x3a, 0xfe]).toString('base64')}`, `Basic ${'A'.repeat(70_000)}`, `Basic ${ref('basicWeb')}`,
  `Basic ${ref('basicWeb')} ${ref('basicWeb')}`, `Basic ${ref('basicWrongSecret')}`, 'Bearer', 'Bearer ', `Bearer ${ref('accessToken')}`,
  `Bearer ${ref('accessToken')}x`, `Bearer ${ref('refreshToken')}`, `Bearer ${'e'.repeat(70_000)}`, 'Bearer a.b.c', 'Bearer eyJ.eyJ.sig',
  `Bearer ${ref('accessToken')}, Basic ${ref('basicWeb')}`, 'Digest username="x"', 'Negotiate YII=', 'bearer\tx',
];

const COOKIES = [
  'askara_session=', `askara_session=${'s'.repeat(5000)}`, 'askara_session=x; askara_session=y', `askara_session=${ref('session')}`,
  `askara_csrf=${ref('csrfSecret')}`, `askara_session=${ref('session')}; askara_csrf=${ref('csrfSecret')}`, `askara_session=${ref('session')}; askara_csrf=${ref('csrfSecret')}; askara_browser=${ref('browser')}`, 'askara_csrf=%ff%fe',
  'askara_session=%zz', '=;;=;', 'a="unterminated', `askara_csrf=${ref('csrfSecret')}; askara_csrf=other`, '__proto__=1', '\u0000=\u0000',
];

const OTHER_HEADERS: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'accept', 'accept-language', 'origin', 'referer', 'x-request-id', 'user-agent', 'accept-encoding'),
  fc.oneof(hostileString.filter((s) => s.length < 8000), fc.constantFrom('<script>', '*/*', 'gzip, br', 'null', '127.0.0.1, 10.0.0.1', 'https')),
  { maxKeys: 3 },
);

export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'content-type': fc.constantFrom(...CONTENT_TYPES),
      authorization: fc.constantFrom(...AUTHORIZATION),
      cookie: fc.constantFrom(...COOKIES),
    },
    { requiredKeys: [] },
  )
  .chain((h) => OTHER_HEADERS.map((o) => ({ ...o, ...h })));

/** A path for `pattern` (`:param` filled with a live id or a hostile segment), possibly mangled. */
export function hostilePath(pattern: string): fc.Arbitrary<string> {
  const segment = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(ref('interactionId'), ref('faultId')) },
    { weight: 2, arbitrary: hostileString.filter((s) => s.length < 2000).map((s) => { try { return encodeURIComponent(s); } catch { return 'x'; } }) },
    { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ESCAPES, '..', '%2e%2e', '.', '%2f', '%5c') },
  );
  const names = pattern.match(/:\w+/g) ?? [];
  const filled = fc.tuple(...names.map(() => segment)).map((values) => values.reduce((p, v, i) => p.replace(names[i]!, v), pattern));
  return fc.tuple(filled, fc.constantFrom('', '', '', '', '/', '/..', '/../../etc/passwd', '%00', '%', '%ff', ';x=1', '/%2e%2e/', '.json')).map(([p, suffix]) => p + suffix);
}

/** Paths no route serves: random segments, traversal, near misses of real prefixes. */
export const unknownPath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('/oauth2', '/oauth2/', '/oauth2/tokens', '/oauth2/token/x', '/_emulator', '/_emulator/', '/_emulator/x', '/.well-known/',
    '/.well-known/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '//oauth2//token', '/ME', '/device/x/y',
    '/interaction', '/assets/../package.json', '/assets/%2e%2e/package.json', '/%00', '/%ff', '/%', '/\u00e9', '/a%0d%0aX-Injected:%201'),
  fc.webSegment().map((s) => `/zz-${s}`),
  fc.array(fc.webSegment(), { minLength: 1, maxLength: 4 }).map((ss) => `/unknown/${ss.join('/')}`),
  hostileString.filter((s) => s.length < 3000).map((s) => { try { return `/zz-${encodeURIComponent(s)}`; } catch { return '/zz-x'; } }),
);

export const ANY_METHOD = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');

/** The content type that matches a body kind, so half the requests get past the body parser. */
function coherentType(kind: string): string | undefined {
  if (kind.startsWith('json')) return 'application/json';
  if (kind.startsWith('form') || kind.startsWith('oversized') || kind === 'nul-bytes' || kind === 'invalid-utf8') return 'application/x-www-form-urlencoded';
  return undefined;
}

/** A hostile request to one route: mostly its own methods, sometimes another one. */
export function hostileRequest(pattern: string, methods: string[]): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      method: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...methods) }, { weight: 1, arbitrary: ANY_METHOD }),
      path: hostilePath(pattern),
      query: hostileQuery,
      headers: hostileHeaders,
      body: hostileBody,
      coherent: fc.boolean(),
    })
    .map(({ body, coherent, headers, ...r }) => {
      const type = coherent ? coherentType(body.kind) : undefined;
      return { ...r, headers: type ? { ...headers, 'content-type': type } : headers, body: body.body, bodyKind: body.kind };
    });
}
