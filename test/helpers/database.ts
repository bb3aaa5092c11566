import { afterEach } from 'vitest';
import { openDatabase, type Db } from '../../src/storage/database.js';
import { createRepositories } from '../../src/storage/repositories/index.js';

const opened: Db[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.$client.open) db.$client.close();
});

/** A migrated `:memory:` database and its repositories, closed after the test. */
export function memoryDatabase() {
  const db = openDatabase(':memory:');
  opened.push(db);
  return { db, repos: createRepositories(db) };
}
