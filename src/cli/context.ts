import { InvalidArgumentError } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { createContext, type AppContext } from '../context.js';
import { EmulatorClock, systemClock } from '../shared/clock.js';
import { closeDatabase, openDatabase, type Db } from '../storage/database.js';
import { createRepositories, type AppRepositories } from '../storage/repositories/index.js';

/** A failure the user can fix (unknown client, taken e-mail…): message printed, exit status 1. */
export class CliError extends Error {
  override name = 'CliError';
}

/** Where a command writes, and the environment it reads (tests pass their own). */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

/** Global options every command accepts. */
export interface GlobalOptions {
  database?: string;
}

/** The configuration of SPEC §2 from the environment, with --database overriding DATABASE_PATH. */
export function cliConfig(io: CliIO, options: GlobalOptions, overrides: Record<string, string | undefined> = {}): Config {
  const env: Record<string, string | undefined> = { ...io.env, ...overrides };
  if (options.database !== undefined) env.DATABASE_PATH = options.database;
  return loadConfig(env);
}

/**
 * Runs `fn` on the configured database (migrated first), then closes it. SQLite in WAL mode lets
 * this run while a server uses the same file: its writes are visible to the server's next request.
 */
export async function withDatabase<T>(config: Config, fn: (db: { db: Db; repos: AppRepositories; now: number }) => Promise<T> | T): Promise<T> {
  const db = openDatabase(config.databasePath);
  try {
    return await fn({ db, repos: createRepositories(db), now: systemClock.now() });
  } finally {
    closeDatabase(db);
  }
}

/** As withDatabase, with the whole context (keys, protocol deps), for commands that sign tokens. */
export function withContext<T>(config: Config, fn: (context: AppContext) => Promise<T>): Promise<T> {
  return withDatabase(config, async ({ db }) => fn(await createContext({ config, clock: new EmulatorClock(), db })));
}

/** A commander argument parser for a whole number in a range. */
export function wholeNumber(min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return Number(raw);
  };
}

/** Commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Left-aligned columns for list commands. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return `${rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}
