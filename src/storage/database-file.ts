import { existsSync } from 'node:fs';

/**
 * True when opening `path` creates the database (`:memory:`, or no file there yet), so it has no
 * signing key. Apart from database.ts, so the server's entry can ask before Drizzle and the
 * schema load.
 */
export function isNewDatabase(path: string): boolean {
  return path === ':memory:' || !existsSync(path);
}
