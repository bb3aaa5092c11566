import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/storage/database.js';
import { GroupCommit, groupCommitOf } from '../../../src/storage/group-commit.js';
import { buildTestApp } from '../../helpers/app.js';
import { memoryDatabase } from '../../helpers/database.js';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

/** A table with a deferred foreign key: a dangling row is accepted by its INSERT and refused by the COMMIT. */
function setup() {
  const sqlite = new Database(':memory:');
  opened.push(sqlite);
  sqlite.pragma('foreign_keys = ON');
  sqlite.exec('CREATE TABLE parent (id TEXT PRIMARY KEY); CREATE TABLE t (v TEXT, parent TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
  sqlite.exec("INSERT INTO parent VALUES ('p')");
  const scheduled: Array<() => void> = [];
  const group = new GroupCommit(sqlite, (commit) => scheduled.push(commit));
  const insert = sqlite.prepare('INSERT INTO t VALUES (?, ?)');
  const rows = () => (sqlite.prepare('SELECT v FROM t ORDER BY v').pluck().all() as string[]);
  const commitNow = () => scheduled.splice(0).forEach((commit) => commit());
  return { sqlite, group, insert, rows, scheduled, commitNow };
}

describe('GroupCommit', () => {
  it('runs each function at once and commits the whole group once, then resolves every caller', async () => {
    const { sqlite, group, insert, scheduled, commitNow } = setup();
    const settled: string[] = [];
    const a = group.run(() => insert.run('a', 'p').changes).then((n) => settled.push(`a:${n}`));
    const b = group.run(() => insert.run('b', 'p').changes).then((n) => settled.push(`b:${n}`));
    expect(scheduled).toHaveLength(1);
    expect(sqlite.inTransaction).toBe(true);
    expect(group.pending).toBeDefined();
    await Promise.resolve();
    expect(settled).toEqual([]);
    commitNow();
    await Promise.all([a, b]);
    expect(settled).toEqual(['a:1', 'b:1']);
    expect(sqlite.inTransaction).toBe(false);
    expect(group.pending).toBeUndefined();
  });

  it('keeps the writes of the others when one function throws (each run is a savepoint)', async () => {
    const { group, insert, rows, commitNow } = setup();
    const kept = group.run(() => insert.run('kept', 'p'));
    expect(() =>
      group.run(() => {
        insert.run('undone', 'p');
        throw new Error('refused');
      }),
    ).toThrow('refused');
    commitNow();
    await kept;
    expect(rows()).toEqual(['kept']);
  });

  it('rejects every caller and keeps nothing of the group when the commit fails', async () => {
    const { sqlite, group, insert, rows, commitNow } = setup();
    const good = group.run(() => insert.run('good', 'p'));
    const dangling = group.run(() => insert.run('dangling', 'nobody'));
    const barrier = group.pending;
    commitNow();
    await expect(good).rejects.toThrow(/FOREIGN KEY/);
    await expect(dangling).rejects.toThrow(/FOREIGN KEY/);
    await expect(barrier).rejects.toThrow(/FOREIGN KEY/);
    expect(sqlite.inTransaction).toBe(false);
    expect(rows()).toEqual([]);
    // and the next group starts afresh
    const next = group.run(() => insert.run('next', 'p'));
    commitNow();
    await next;
    expect(rows()).toEqual(['next']);
  });

  it('commits an open group when flushed (before a transaction of its own, and on close)', async () => {
    const { group, insert, rows, scheduled } = setup();
    const a = group.run(() => insert.run('a', 'p'));
    group.flush();
    await a;
    expect(rows()).toEqual(['a']);
    // the scheduled commit finds nothing left to do
    scheduled.splice(0).forEach((commit) => commit());
    expect(group.pending).toBeUndefined();
  });
});

describe('group commit on the database', () => {
  it('a transaction of its own first commits the open group, so its caller sees both committed', async () => {
    const { db, repos } = memoryDatabase();
    const grouped = repos.commit(() => repos.meta.set('grouped', '1'));
    inTransaction(db, () => repos.meta.set('own', '1'));
    expect(groupCommitOf(db.$client).pending).toBeUndefined();
    expect(db.$client.inTransaction).toBe(false);
    await grouped;
    expect([repos.meta.get('grouped'), repos.meta.get('own')]).toEqual(['1', '1']);
  });
});

describe('the answer barrier (app.ts)', () => {
  it('holds every answer until the open group is committed, and answers an error when that commit fails', async () => {
    const app = await buildTestApp();
    const { repos, db } = app.context;
    // a write that joined the open group and cannot commit: a token of a client that does not exist
    const failing = repos.commit(() => {
      db.$client.pragma('defer_foreign_keys = ON');
      repos.tokens.saveAccessToken({
        jti: 'dangling',
        familyId: 'f',
        clientId: 'no-such-client',
        userUuid: null,
        scope: [],
        grantType: 'client_credentials',
        issuedAt: 0,
        expiresAt: 1,
        revokedAt: null,
      });
    });
    failing.catch(() => undefined);
    // this answer does not write, but it must not leave before what was written before it is durable
    const held = await app.app.inject({ method: 'GET', url: '/healthz' });
    expect(held.statusCode).toBe(500);
    expect(held.json()).toMatchObject({ error: 'server_error' });
    await expect(failing).rejects.toThrow(/FOREIGN KEY/);
    expect(repos.tokens.findAccessToken('dangling')).toBeUndefined();
    expect((await app.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
