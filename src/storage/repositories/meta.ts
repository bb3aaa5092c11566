import { eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { meta } from '../schema/index.js';

export function createMetaRepository(db: Db) {
  return {
    get(key: string): string | undefined {
      return db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)).get()?.value;
    },
    set(key: string, value: string): void {
      db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
    },
  };
}
