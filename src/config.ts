/**
 * The one place that reads the environment (SPEC §2). Each setting is declared once with its
 * variable, its documentation and a parser; `loadConfig` validates them all at start and fails
 * with a message naming the variable and the expected form.
 */

export type RefreshReusePolicy = 'revoke-family' | 'reject';
export type AccessTokenTyp = 'JWT' | 'at+jwt';
export interface RateLimitSetting {
  capacity: number;
  refillAmount: number;
  refillPeriodSeconds: number;
}

export interface Config {
  port: number;
  host: string;
  /** Public base URL; `undefined` means "http://localhost:<bound port>", resolved once listening. */
  issuer: string | undefined;
  databasePath: string;
  seedPath: string | undefined;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  authCodeTtl: number;
  deviceCodeTtl: number;
  devicePollInterval: number;
  accessTokenTyp: AccessTokenTyp;
  refreshReuse: RefreshReusePolicy;
  interactiveLogin: boolean;
  rateLimit: RateLimitSetting | null;
  adminToken: string | undefined;
  logLevel: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

interface Setting<K extends keyof Config> {
  key: K;
  env: string;
  doc: string;
  default: string | undefined;
  parse: (raw: string, env: string) => Config[K];
}

function integer(min: number, max: number) {
  return (raw: string, env: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${env} must be a whole number from ${min} to ${max}, got "${raw}"`);
    const n = Number(raw.trim());
    if (n < min || n > max) throw new ConfigError(`${env} must be a whole number from ${min} to ${max}, got ${n}`);
    return n;
  };
}

function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string, env: string): T => {
    const v = raw.trim() as T;
    if (!values.includes(v)) throw new ConfigError(`${env} must be one of ${values.join(', ')}, got "${raw}"`);
    return v;
  };
}

function boolean(raw: string, env: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${env} must be true or false, got "${raw}"`);
}

function text(raw: string, env: string): string {
  if (raw.trim() === '') throw new ConfigError(`${env} must not be empty`);
  return raw.trim();
}

function issuer(raw: string, env: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${env} must be an absolute http(s) URL such as http://localhost:8080, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${env} must use http or https, got "${raw}"`);
  }
  // an empty `?` or `#` leaves url.search and url.hash empty but would stay in the href
  if (url.search || url.hash || /[?#]/.test(raw) || url.username || url.password) {
    throw new ConfigError(`${env} must have no query, fragment or credentials (RFC 8414 §2), got "${raw}"`);
  }
  // RFC 8414 §3: metadata lives under /.well-known; a trailing slash would double it.
  return url.href.replace(/\/+$/, '');
}

function rateLimit(raw: string, env: string): RateLimitSetting | null {
  const v = raw.trim().toLowerCase();
  if (v === 'off') return null;
  const m = /^(\d+)\/(\d+)\/(\d+)$/.exec(v);
  const [capacity, refillAmount, period] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || capacity < 1 || refillAmount < 1 || period < 1) {
    throw new ConfigError(`${env} must be "capacity/refill/period-seconds" with positive numbers (e.g. 5000/500/900) or "off", got "${raw}"`);
  }
  return { capacity, refillAmount, refillPeriodSeconds: period };
}

const DAY = 86_400;

/** Every setting, in README order. `README.md`'s configuration table is checked against this list. */
export const settings = [
  { key: 'port', env: 'PORT', default: '8080', doc: 'listen port (`0` picks a free one and prints it)', parse: integer(0, 65535) },
  { key: 'host', env: 'HOST', default: '127.0.0.1', doc: 'listen address (`0.0.0.0` in the container)', parse: text },
  { key: 'issuer', env: 'ISSUER', default: undefined, doc: 'public base URL used in metadata, `iss`, `verification_uri` and redirects (default `http://localhost:$PORT`, the port actually bound)', parse: issuer },
  { key: 'databasePath', env: 'DATABASE_PATH', default: './data/askara.sqlite', doc: 'SQLite file; `:memory:` for a throwaway instance', parse: text },
  { key: 'seedPath', env: 'ASKARA_SEED', default: undefined, doc: 'path to a seed file (JSON or YAML) applied at start; the demo data when unset', parse: text },
  { key: 'accessTokenTtl', env: 'ACCESS_TOKEN_TTL', default: '3600', doc: 'access token lifetime, seconds', parse: integer(1, 365 * DAY) },
  { key: 'refreshTokenTtl', env: 'REFRESH_TOKEN_TTL', default: String(30 * DAY), doc: 'refresh token lifetime, seconds (30 days)', parse: integer(1, 3650 * DAY) },
  { key: 'authCodeTtl', env: 'AUTH_CODE_TTL', default: '60', doc: 'authorization code lifetime, seconds', parse: integer(1, DAY) },
  { key: 'deviceCodeTtl', env: 'DEVICE_CODE_TTL', default: '600', doc: 'device code lifetime, seconds', parse: integer(1, DAY) },
  { key: 'devicePollInterval', env: 'DEVICE_POLL_INTERVAL', default: '5', doc: 'device flow polling interval, seconds', parse: integer(0, 3600) },
  { key: 'accessTokenTyp', env: 'ACCESS_TOKEN_TYP', default: 'JWT', doc: 'access token `typ` header: `JWT` (Askara) or `at+jwt` (RFC 9068)', parse: oneOf(['JWT', 'at+jwt'] as const) },
  { key: 'refreshReuse', env: 'REFRESH_REUSE', default: 'revoke-family', doc: 'presenting a spent refresh token: `revoke-family` or `reject`', parse: oneOf(['revoke-family', 'reject'] as const) },
  { key: 'interactiveLogin', env: 'INTERACTIVE_LOGIN', default: 'true', doc: '`false`: `/authorize` logs in the `login_hint` persona (or the first seeded user) and approves at once', parse: boolean },
  { key: 'rateLimit', env: 'RATE_LIMIT', default: '5000/500/900', doc: 'token bucket per client: capacity/refill/period-seconds, or `off`', parse: rateLimit },
  { key: 'adminToken', env: 'ADMIN_TOKEN', default: undefined, doc: 'when set, the control API and console require `Authorization: Bearer $ADMIN_TOKEN`; when unset they answer loopback clients only', parse: text },
  { key: 'logLevel', env: 'LOG_LEVEL', default: 'info', doc: 'pino level', parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const) },
] as const satisfies readonly Setting<keyof Config>[];

/** Reads and validates every setting; throws one ConfigError listing each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const s of settings as readonly Setting<keyof Config>[]) {
    const raw = env[s.env] !== undefined && env[s.env] !== '' ? env[s.env] : s.default;
    if (raw === undefined) {
      out[s.key] = undefined;
      continue;
    }
    try {
      out[s.key] = s.parse(raw, s.env);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return out as unknown as Config;
}

/** The defaults, with overrides: for tests and the library entry point. */
export function configWith(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides };
}
