/**
 * The library entry point (SPEC §10): `import { startEmulator } from 'askara-emulator'` runs the
 * emulator inside a Node test suite, on a free loopback port and an in-memory database by default,
 * so nothing is left on disk.
 */
import { configWith, type Config } from './config.js';
import { createEmulator } from './emulator.js';
import { mintTokens as mint } from './oauth/mint-tokens.js';
import type { TokenResponse } from './oauth/token-issuer.js';
import { loggerOptions } from './observability/logger.js';
import type { Seed } from './seed/seed-schema.js';

export { OAuthError } from './oauth/errors.js';
export type { Config } from './config.js';
export type { TokenResponse } from './oauth/token-issuer.js';
export type { Seed, SeedClient, SeedOrganization, SeedUser } from './seed/seed-schema.js';

export interface StartEmulatorOptions {
  /** Seed data (SPEC §3) as an object, or the path of a JSON/YAML seed file. Default: the demo data. */
  seed?: Seed | string;
  /** Listen port; default 0 (a free one). */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** SQLite file; default ':memory:' (nothing written to disk). */
  database?: string;
  /** Any other setting of SPEC §2 (camelCase keys of Config); `issuer` defaults to `url`. Logs are off unless `logLevel` is set. */
  config?: Partial<Config>;
}

/** The emulator's clock (SPEC §8): every expiry, `iat`/`exp` and lock reads it. */
export interface EmulatorClockControl {
  now(): Date;
  /** Moves time by `seconds` (negative moves back); returns the new time. */
  advance(seconds: number): Date;
  /** Jumps to an instant; returns it. */
  set(instant: string | Date): Date;
  /** Back to real time; returns it. */
  reset(): Date;
  readonly offsetSeconds: number;
}

export interface MintTokensOptions {
  client_id: string;
  /** A user's e-mail or uuid. */
  user: string;
  /** Space-separated scopes; default every scope of the client. */
  scope?: string;
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:53127 (no trailing slash). */
  url: string;
  /** The issuer in tokens and metadata: `url` unless `config.issuer` says otherwise. */
  issuer: string;
  clock: EmulatorClockControl;
  /** POST /_emulator/reset: forget tokens, codes, sessions, consents, locks and faults; reset the clock. */
  reset(): void;
  /** A token pair without any flow, shaped as the token endpoint's (POST /_emulator/tokens). */
  mintTokens(options: MintTokensOptions): Promise<TokenResponse>;
  /** Stops listening and closes the database. */
  close(): Promise<void>;
}

function instant(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new TypeError(`${what}: expected a finite number of seconds or a valid date`);
  return value;
}

/** Starts an emulator in this process; resolves once it listens. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const config = configWith({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    databasePath: options.database ?? ':memory:',
    logLevel: 'silent',
    ...(typeof options.seed === 'string' ? { seedPath: options.seed } : {}),
    ...options.config,
  });
  const seed = typeof options.seed === 'object' ? options.seed : undefined;
  const emulator = await createEmulator({ config, ...(seed ? { seed } : {}), logger: loggerOptions(config.logLevel) });
  await emulator.listen();
  const { port } = emulator.app.server.address() as { port: number };
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;
  const { context } = emulator;
  if (config.issuer === undefined) context.runtime.issuer = url;
  const clock = context.clock;
  const at = () => new Date(clock.now());
  return {
    url,
    issuer: context.runtime.issuer,
    clock: {
      now: at,
      advance: (seconds) => (clock.advance(instant(seconds, 'clock.advance')), at()),
      set: (when) => (clock.set(instant(new Date(when).getTime(), 'clock.set')), at()),
      reset: () => (clock.reset(), at()),
      get offsetSeconds() {
        return clock.offsetSeconds;
      },
    },
    reset: () => context.reset(),
    mintTokens: (o) => mint({ clientId: o.client_id, user: o.user, scope: o.scope }, context.protocol),
    close: () => emulator.close(),
  };
}
