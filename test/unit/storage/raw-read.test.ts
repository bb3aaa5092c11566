import { eq, getTableColumns, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { prepareRawRead } from '../../../src/storage/raw-read.js';
import { organizations, users } from '../../../src/storage/schema/index.js';
import { memoryDatabase } from '../../helpers/database.js';
import { ALICE, BRUNO, ORG } from '../../helpers/fixtures.js';

const T0 = Date.parse('2026-01-15T09:00:00Z');

function setup() {
  const { db, repos } = memoryDatabase();
  repos.users.upsertOrganization({ ...ORG }, T0);
  const { password: _a, organization, ...alice } = ALICE;
  repos.users.upsert({ ...alice, organizationUuid: organization, passwordHash: '$argon2id$alice', isVerified: true }, T0);
  const { password: _b, ...bruno } = BRUNO;
  repos.users.upsert({ ...bruno, passwordHash: null, isVerified: false }, T0);
  return db;
}

describe('prepareRawRead', () => {
  const selection = { user: getTableColumns(users), organization: getTableColumns(organizations) };

  it('reads what Drizzle reads: one object per part, decoded, and null for a LEFT JOIN that found nothing', () => {
    const db = setup();
    const query = db.select(selection).from(users).leftJoin(organizations, eq(users.organizationUuid, organizations.uuid)).where(eq(users.uuid, sql.placeholder('uuid')));
    const read = prepareRawRead(db, query, selection);
    for (const uuid of [ALICE.uuid, BRUNO.uuid]) {
      expect(read(uuid)).toEqual(query.get({ uuid }));
    }
    const alice = read(ALICE.uuid);
    // the boolean column goes through its decoder (SQLite stores 1 and 0)
    expect(alice?.user.isVerified).toBe(true);
    expect(alice?.organization?.uuid).toBe(ORG.uuid);
    expect(read(BRUNO.uuid)).toMatchObject({ user: { isVerified: false, passwordHash: null }, organization: null });
    expect(read('no-such-user')).toBeUndefined();
  });

  it('refuses a selection that is not the query’s own', () => {
    const db = setup();
    const query = db.select(selection).from(users).leftJoin(organizations, eq(users.organizationUuid, organizations.uuid));
    expect(() => prepareRawRead(db, query, { user: getTableColumns(users) })).toThrow(/selects \d+ columns, the selection \d+/);
  });
});
