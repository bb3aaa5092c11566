import type Database from 'better-sqlite3';

/**
 * Group commit, as PostgreSQL and InnoDB do it: the writes of requests that reach the database in
 * the same turn of the event loop share one SQLite transaction, committed once at the end of that
 * turn (setImmediate). A commit costs about 20 system calls (WAL frames, locks) whatever it
 * holds, which made it the largest cost of a token request (bench/README.md).
 *
 * Nothing is acknowledged before it is durable: `run()` resolves only after the commit holding
 * its writes, and `pending` is the barrier every HTTP answer waits on (app.ts), so a write that
 * joined the open group some other way (a plain statement, a reused connection) is committed
 * before any answer leaves. Each `run()` is a SAVEPOINT in the group: if its function throws, its
 * own writes are undone and the others' stay. If the commit fails, every caller in the group gets
 * the error and nothing of the group remains.
 */
export class GroupCommit {
  #open: Promise<void> | undefined;
  #settle: { resolve(): void; reject(error: unknown): void } | undefined;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  /** Runs its argument in a SAVEPOINT; made once, as better-sqlite3 builds five functions per transaction(). */
  readonly #inSavepoint: (fn: () => unknown) => unknown;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly schedule: (commit: () => void) => void = setImmediate,
  ) {
    this.#begin = sqlite.prepare('BEGIN IMMEDIATE');
    this.#commit = sqlite.prepare('COMMIT');
    this.#rollback = sqlite.prepare('ROLLBACK');
    this.#inSavepoint = sqlite.transaction((fn: () => unknown) => fn());
  }

  /** Runs `fn` now, atomically, in the open group; resolves with its result once the group is committed. */
  run<T>(fn: () => T): Promise<T> {
    const committed = this.#join();
    const result = this.#inSavepoint(fn) as T;
    return committed.then(() => result);
  }

  /** Settles when every write made so far is committed; undefined when no group is open. */
  get pending(): Promise<void> | undefined {
    return this.#open;
  }

  /** Commits the open group now: before a transaction of its own, and before the database closes. */
  flush(): void {
    const settle = this.#settle;
    if (!settle) return;
    this.#open = this.#settle = undefined;
    try {
      this.#commit.run();
      settle.resolve();
    } catch (error) {
      if (this.sqlite.inTransaction) this.#rollback.run();
      settle.reject(error);
    }
  }

  #join(): Promise<void> {
    if (this.#open) return this.#open;
    // a transaction someone else opened on this connection would swallow the group's COMMIT
    if (this.sqlite.inTransaction) throw new Error('group commit: the connection is already in a transaction');
    this.#begin.run();
    const open = new Promise<void>((resolve, reject) => (this.#settle = { resolve, reject }));
    // callers see a failed commit through run() or the barrier; this keeps it from being "unhandled"
    open.catch(() => undefined);
    this.#open = open;
    this.schedule(() => this.flush());
    return open;
  }
}

const groups = new WeakMap<Database.Database, GroupCommit>();

/** The one group-commit queue of a connection (several repository sets may share a connection). */
export function groupCommitOf(sqlite: Database.Database): GroupCommit {
  let group = groups.get(sqlite);
  if (!group) groups.set(sqlite, (group = new GroupCommit(sqlite)));
  return group;
}
