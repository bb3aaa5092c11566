import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { MIGRATIONS_DIR } from '../paths.js';
import { groupCommitOf } from './group-commit.js';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Opens (creating if needed) the SQLite database and applies the committed migrations.
 * WAL with synchronous=NORMAL: a commit survives the process being killed (kill -9, checked by
 * test/reliability/crash-durability.test.ts), which is what "a token returned to a client is
 * durable" needs; only an OS crash or power loss can lose the last commits. FULL would fsync each
 * commit, at several times the cost per refresh (README, "Durability").
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // 4 MiB of page cache (better-sqlite3 builds SQLite with 16 MiB): the hot pages are the newest
  // tokens' and the indexes' upper levels; the operating system's cache holds the rest
  sqlite.pragma('cache_size = -4000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db;
}

/**
 * Runs `fn` in one SQLite transaction of its own (better-sqlite3 transactions are synchronous),
 * committed when it returns: the open group commit, if any, is committed first.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  groupCommitOf(db.$client).flush();
  return db.$client.transaction(fn).immediate();
}

/** Commits what is still open, then closes the connection. */
export function closeDatabase(db: Db): void {
  if (!db.$client.open) return;
  groupCommitOf(db.$client).flush();
  db.$client.close();
}
