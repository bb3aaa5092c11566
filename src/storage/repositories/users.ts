import { count, eq, getTableColumns, sql } from 'drizzle-orm';
import type { ConsoleRepositories } from '../../console/ports.js';
import type { Organization, User, UserRepository } from '../../oauth/ports.js';
import type { Db } from '../database.js';
import { organizations, users } from '../schema/index.js';

type UserRow = typeof users.$inferSelect;
export type UserInput = Omit<typeof users.$inferInsert, 'emailKey' | 'createdAt' | 'updatedAt'>;
export type OrganizationInput = Omit<typeof organizations.$inferInsert, 'createdAt' | 'updatedAt'>;

/** A user row or column set without what the protocol never sees: the password hash, the lookup key, the row times. */
function publicPart<T extends Record<'passwordHash' | 'emailKey' | 'createdAt' | 'updatedAt', unknown>>(row: T) {
  const { passwordHash: _hash, emailKey: _key, createdAt: _c, updatedAt: _u, ...rest } = row;
  return rest;
}

/** The user as the protocol sees it. */
function toUser(row: UserRow): User {
  return publicPart(row);
}

/**
 * The columns of the user as the protocol sees it, for queries that read nothing else (the bearer
 * read of /me): the password hash is not even read.
 */
export const userColumns = publicPart(getTableColumns(users));

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function createUserRepository(db: Db) {
  const byUuid = db.select().from(users).where(eq(users.uuid, sql.placeholder('uuid'))).prepare();
  const byEmail = db.select().from(users).where(eq(users.emailKey, sql.placeholder('key'))).prepare();
  const orgByUuid = db.select().from(organizations).where(eq(organizations.uuid, sql.placeholder('uuid'))).prepare();
  const members = db.select({ n: count() }).from(users).where(eq(users.organizationUuid, sql.placeholder('uuid'))).prepare();
  return {
    findByUuid(uuid) {
      const row = byUuid.get({ uuid });
      return row && toUser(row);
    },
    findByEmail(email) {
      const row = byEmail.get({ key: emailKey(email) });
      return row && toUser(row);
    },
    findFirst() {
      const row = db.select().from(users).orderBy(sql`rowid`).limit(1).get();
      return row && toUser(row);
    },
    findPasswordHash(email) {
      const row = byEmail.get({ key: emailKey(email) });
      return row && { user: toUser(row), passwordHash: row.passwordHash };
    },
    list(): User[] {
      return db.select().from(users).orderBy(sql`rowid`).all().map(toUser);
    },
    upsert(input: UserInput, now: number): void {
      const values = { ...input, emailKey: emailKey(input.email) };
      const { uuid: _uuid, ...changes } = values;
      db.insert(users)
        .values({ ...values, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: users.uuid, set: { ...changes, updatedAt: now } })
        .run();
    },
    upsertOrganization(input: OrganizationInput, now: number): void {
      const { uuid: _uuid, ...changes } = input;
      db.insert(organizations)
        .values({ ...input, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: organizations.uuid, set: { ...changes, updatedAt: now } })
        .run();
    },
    listOrganizations(): Organization[] {
      return db.select().from(organizations).orderBy(sql`rowid`).all();
    },
    /** Removes the user; sessions, consents, codes, tokens and login failures go with it (ON DELETE CASCADE). */
    remove(uuid: string): boolean {
      return db.delete(users).where(eq(users.uuid, uuid)).run().changes > 0;
    },
    findOrganization(uuid: string): Organization | undefined {
      return orgByUuid.get({ uuid });
    },
    removeOrganization(uuid: string): boolean {
      return db.delete(organizations).where(eq(organizations.uuid, uuid)).run().changes > 0;
    },
    countMembers(organizationUuid: string): number {
      return members.get({ uuid: organizationUuid })?.n ?? 0;
    },
  } satisfies UserRepository & ConsoleRepositories['users'];
}
