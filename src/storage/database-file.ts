import { existsSync } from 'node:fs';

/**
 * True when opening `path` creates the database (`:memory:`, or no file there yet), so it has no
 * signing key. Kept apart from database.ts so the server's entry can ask before loading SQLite.
 */
export function isNewDatabase(path: string): boolean {
  return path === ':memory:' || !existsSync(path);
}
