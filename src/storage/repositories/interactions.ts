import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { ConsoleRepositories } from '../../console/ports.js';
import type { ConsentRepository, InteractionRepository, SessionRepository } from '../../oauth/ports.js';
import type { Db } from '../database.js';
import { consents, interactions, sessions } from '../schema/index.js';

export function createInteractionRepository(db: Db) {
  return {
    save(interaction) {
      db.insert(interactions).values({ ...interaction, scope: interaction.scope.join(' ') }).run();
    },
    find(id) {
      const row = db.select().from(interactions).where(eq(interactions.id, id)).get();
      return row && { ...row, scope: row.scope === '' ? [] : row.scope.split(' ') };
    },
    complete(id, now) {
      return (
        db.update(interactions).set({ completedAt: now }).where(and(eq(interactions.id, id), isNull(interactions.completedAt))).run()
          .changes === 1
      );
    },
  } satisfies InteractionRepository;
}

export function createConsentRepository(db: Db) {
  const listAll = db.select().from(consents).orderBy(desc(consents.updatedAt)).prepare();
  return {
    find(userUuid, clientId) {
      const row = db
        .select({ scope: consents.scope })
        .from(consents)
        .where(and(eq(consents.userUuid, userUuid), eq(consents.clientId, clientId)))
        .get();
      return row && row.scope !== '' ? row.scope.split(' ') : [];
    },
    grant(userUuid, clientId, scopes, now) {
      const merged = [...new Set([...this.find(userUuid, clientId), ...scopes])].join(' ');
      db.insert(consents)
        .values({ userUuid, clientId, scope: merged, updatedAt: now })
        .onConflictDoUpdate({ target: [consents.userUuid, consents.clientId], set: { scope: merged, updatedAt: now } })
        .run();
    },
    list() {
      return listAll.all().map((row) => ({ ...row, scope: row.scope === '' ? [] : row.scope.split(' ') }));
    },
    remove(userUuid: string, clientId: string) {
      return db.delete(consents).where(and(eq(consents.userUuid, userUuid), eq(consents.clientId, clientId))).run().changes > 0;
    },
  } satisfies ConsentRepository & ConsoleRepositories['consents'];
}

export function createSessionRepository(db: Db) {
  const find = db
    .select({ userUuid: sessions.userUuid })
    .from(sessions)
    .where(and(eq(sessions.idHash, sql.placeholder('hash')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .prepare();
  return {
    create(session) {
      db.insert(sessions).values(session).run();
    },
    findUser(idHash, now) {
      return find.get({ hash: idHash, now })?.userUuid;
    },
    delete(idHash) {
      db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
    },
  } satisfies SessionRepository;
}
