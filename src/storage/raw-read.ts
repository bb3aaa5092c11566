import type { Column } from 'drizzle-orm';
import type { Db } from './database.js';

/**
 * A select of one row that Drizzle builds and types, read without Drizzle's generic row mapping:
 * better-sqlite3 returns the row as an array (raw mode), which is cut into one object per part of
 * `selection` (the object given to `db.select()`), each value through its column's decoder. A part
 * whose values are all null (a LEFT JOIN that found nothing) is null, as with Drizzle.
 *
 * For the hot read of bearer authentication: Drizzle's mapping of its 41 values cost 10 µs a read,
 * this 6.7 µs (bench/README.md, "Where the time goes"). `selection` must be the query's own.
 */
export function prepareRawRead<Q extends { toSQL(): { sql: string }; _: { result: unknown[] } }>(
  db: Db,
  query: Q,
  selection: Record<string, Record<string, Column>>,
): (...params: unknown[]) => Q['_']['result'][number] | undefined {
  const statement = db.$client.prepare(query.toSQL().sql).raw(true);
  const parts = Object.entries(selection).map(([name, columns]) => ({ name, keys: Object.keys(columns), columns: Object.values(columns) }));
  const width = parts.reduce((n, part) => n + part.keys.length, 0);
  if (statement.columns().length !== width) throw new Error(`prepareRawRead: the query selects ${statement.columns().length} columns, the selection ${width}`);
  return (...params) => {
    const row = statement.get(...params) as unknown[] | undefined;
    if (!row) return undefined;
    const out: Record<string, Record<string, unknown> | null> = {};
    let at = 0;
    for (const { name, keys, columns } of parts) {
      const value: Record<string, unknown> = {};
      let found = false;
      for (let i = 0; i < keys.length; i += 1, at += 1) {
        const raw = row[at];
        if (raw !== null) found = true;
        value[keys[i] as string] = raw === null ? null : (columns[i] as Column).mapFromDriverValue(raw);
      }
      out[name] = found ? value : null;
    }
    return out as Q['_']['result'][number];
  };
}
