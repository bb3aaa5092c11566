import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { LoginFailureRepository } from '../../accounts/authenticate-user.js';
import type { Db } from '../database.js';
import { loginFailures } from '../schema/index.js';

/** Failed logins per account, for the lockout of SPEC §7 (reset deletes them all). */
export function createLoginFailureRepository(db: Db) {
  const since = db
    .select({ at: loginFailures.failedAt })
    .from(loginFailures)
    .where(and(eq(loginFailures.userUuid, sql.placeholder('user')), gt(loginFailures.failedAt, sql.placeholder('since'))))
    .orderBy(asc(loginFailures.failedAt))
    .prepare();
  return {
    since(userUuid, after) {
      return since.all({ user: userUuid, since: after }).map((r) => r.at);
    },
    record(userUuid, at, pruneBefore) {
      db.$client.transaction(() => {
        db.delete(loginFailures).where(and(eq(loginFailures.userUuid, userUuid), lt(loginFailures.failedAt, pruneBefore))).run();
        db.insert(loginFailures).values({ userUuid, failedAt: at }).run();
      })();
    },
    clear(userUuid) {
      db.delete(loginFailures).where(eq(loginFailures.userUuid, userUuid)).run();
    },
  } satisfies LoginFailureRepository;
}
