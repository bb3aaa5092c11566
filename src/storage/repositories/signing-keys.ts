import { desc, eq, sql } from 'drizzle-orm';
import type { SigningKeyRecord, SigningKeyRepository } from '../../oauth/keys.js';
import type { Db } from '../database.js';
import { signingKeys } from '../schema/index.js';

export function createSigningKeyRepository(db: Db): SigningKeyRepository {
  return {
    all() {
      return db
        .select()
        .from(signingKeys)
        .orderBy(sql`${signingKeys.status} = 'active' desc`, desc(signingKeys.createdAt))
        .all() as SigningKeyRecord[];
    },
    activate(key, now) {
      db.$client.transaction(() => {
        db.update(signingKeys).set({ status: 'retired', retiredAt: now }).where(eq(signingKeys.status, 'active')).run();
        db.insert(signingKeys).values(key).run();
      })();
    },
  };
}
