/**
 * Keeping secrets out of logs and the request journal (SPEC §7, §8, §14): "Nothing ever logs a
 * password, secret, code or token in full."
 */

/** Parameter and body fields whose values are credentials. */
export const SECRET_FIELDS = [
  'password',
  'client_secret',
  'code',
  'refresh_token',
  'access_token',
  'device_code',
  'code_verifier',
  'token',
  'id_token',
  'user_code',
  '_csrf',
] as const;

export const REDACTED = '[REDACTED]';

// a JWT, or a long run of token characters (codes are 43, refresh tokens 1,000; UUIDs are 36)
const TOKEN_LIKE = /eyJ[\w-]*\.[\w-]*\.[\w-]*|[A-Za-z0-9_~+=-]{40,}/g;

/** Shortens anything that looks like a token or code to its first 6 characters. */
export function maskSecrets(text: string): string {
  return text.replace(TOKEN_LIKE, (m) => `${m.slice(0, 6)}…`);
}

/** The path of a request URL, without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The URL with the value of every secret query parameter replaced, and token-like text masked. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return maskSecrets(url);
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      return (SECRET_FIELDS as readonly string[]).includes(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return maskSecrets(`${url.slice(0, q)}?${query}`);
}

/** The objects a log call may carry that can hold request fields. */
const LOGGED_CONTAINERS = ['body', 'query', 'params', 'req.body', 'req.query', 'req.params', 'err', 'error', 'err.body', 'error.body'];

/**
 * pino `redact` paths: the credential headers, and every secret field at the top level or in the
 * objects a log call may carry (a logged `body`, `query`, `req.body`, an error…). Explicit paths,
 * not `*.field` wildcards: pino 10 runs a wildcard over every value of every line, and also over
 * the bindings of the logger Fastify makes for each request, which cost about 3 µs a request
 * (bench/README.md). The request line itself is flat and masked before it is logged.
 */
export function logRedactPaths(): string[] {
  const headers = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'];
  return [
    ...headers.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`]),
    ...SECRET_FIELDS.flatMap((f) => [f, ...LOGGED_CONTAINERS.map((c) => `${c}.${f}`)]),
  ];
}
