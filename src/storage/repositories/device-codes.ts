import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { ConsoleRepositories } from '../../console/ports.js';
import type { DeviceCodeRecord, DeviceCodeRepository } from '../../oauth/ports.js';
import type { Db } from '../database.js';
import { deviceCodes } from '../schema/index.js';

type Row = typeof deviceCodes.$inferSelect;

const toRecord = (row: Row): DeviceCodeRecord => ({ ...row, scope: row.scope === '' ? [] : row.scope.split(' ') });

/** RFC 8628 device authorizations; every status change is one conditional UPDATE. */
export function createDeviceCodeRepository(db: Db) {
  const byHash = db.select().from(deviceCodes).where(eq(deviceCodes.deviceCodeHash, sql.placeholder('hash'))).prepare();
  const byUserCode = db.select().from(deviceCodes).where(eq(deviceCodes.userCode, sql.placeholder('code'))).prepare();
  const poll = db
    .update(deviceCodes)
    .set({
      lastPolledAt: sql`${sql.placeholder('now')}`,
      intervalSeconds: sql`${deviceCodes.intervalSeconds} + ${sql.placeholder('increase')}`,
    })
    .where(eq(deviceCodes.deviceCodeHash, sql.placeholder('hash')))
    .prepare();
  const markUsed = db
    .update(deviceCodes)
    .set({ status: 'used' })
    .where(and(eq(deviceCodes.deviceCodeHash, sql.placeholder('hash')), eq(deviceCodes.status, 'approved')))
    .prepare();
  const open = db
    .select()
    .from(deviceCodes)
    .where(and(gt(deviceCodes.expiresAt, sql.placeholder('now')), inArray(deviceCodes.status, ['pending', 'approved'])))
    .orderBy(desc(deviceCodes.issuedAt))
    .prepare();
  return {
    save(code) {
      db.insert(deviceCodes).values({ ...code, scope: code.scope.join(' ') }).run();
    },
    find(deviceCodeHash) {
      const row = byHash.get({ hash: deviceCodeHash });
      return row && toRecord(row);
    },
    findByUserCode(userCode) {
      const row = byUserCode.get({ code: userCode });
      return row && toRecord(row);
    },
    recordPoll(deviceCodeHash, now, slowDown) {
      poll.run({ hash: deviceCodeHash, now, increase: slowDown ? 5 : 0 });
    },
    decide(deviceCodeHash, decision, userUuid, now) {
      return (
        db
          .update(deviceCodes)
          .set({ status: decision, userUuid, decidedAt: now })
          .where(and(eq(deviceCodes.deviceCodeHash, deviceCodeHash), eq(deviceCodes.status, 'pending'), gt(deviceCodes.expiresAt, now)))
          .run().changes === 1
      );
    },
    markUsed(deviceCodeHash) {
      return markUsed.run({ hash: deviceCodeHash }).changes === 1;
    },
    listOpen(now: number) {
      return open.all({ now }).map((row) => {
        const { userCode, clientId, scope, status, userUuid, expiresAt } = toRecord(row);
        return { userCode, clientId, scope, status, userUuid, expiresAt };
      });
    },
  } satisfies DeviceCodeRepository & ConsoleRepositories['deviceCodes'];
}
