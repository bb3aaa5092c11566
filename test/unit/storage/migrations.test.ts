import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, PACKAGE_ROOT } from '../../../src/paths.js';
import { openDatabase, type Db } from '../../../src/storage/database.js';
import { memoryDatabase } from '../../helpers/database.js';

const fresh = (): Db => memoryDatabase().db;

/** Every file under `dir`, relative to it, with its contents. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = readFileSync(path, 'utf8');
  }
  return files;
}

describe('migrations/', () => {
  it('apply cleanly to a fresh database and create every table', () => {
    const db = fresh();
    const tables = db.$client
      .prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name")
      .pluck()
      .all();
    expect(tables).toEqual([
      '__drizzle_migrations',
      'access_tokens',
      'authorization_codes',
      'clients',
      'consents',
      'device_codes',
      'interactions',
      'login_failures',
      'meta',
      'organizations',
      'refresh_tokens',
      'sessions',
      'signing_keys',
      'users',
    ]);
  });

  it('turn foreign keys on', () => {
    expect(fresh().$client.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('create the family indexes that revocation relies on', () => {
    const indexes = fresh().$client.prepare("select name from sqlite_schema where type = 'index' and name like '%family%' order by name").pluck().all();
    expect(indexes).toEqual(['access_tokens_family_idx', 'refresh_tokens_family_idx']);
  });

  it('record each migration once, so a second open applies nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'askara-migrate-'));
    try {
      const path = join(dir, 'db.sqlite');
      openDatabase(path).$client.close();
      const again = openDatabase(path);
      const applied = again.$client.prepare('select count(*) from __drizzle_migrations').pluck().get();
      again.$client.close();
      const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
      expect(applied).toBe(journal.entries.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are what `drizzle-kit generate` makes of the schema (no drift)', async () => {
    // generate into a copy, so a drift shows as a difference and leaves no file in the checkout
    const copy = mkdtempSync(join(tmpdir(), 'askara-drift-'));
    try {
      cpSync(MIGRATIONS_DIR, copy, { recursive: true });
      const bin = join(PACKAGE_ROOT, 'node_modules', '.bin', 'drizzle-kit');
      // drizzle-kit prefixes --out with "./", so it must be relative to the working directory
      const out = relative(PACKAGE_ROOT, copy);
      await promisify(execFile)(bin, ['generate', '--dialect', 'sqlite', '--schema', './src/storage/schema/index.ts', '--out', out], {
        cwd: PACKAGE_ROOT,
        timeout: 30_000,
      });
      expect(snapshot(copy)).toEqual(snapshot(MIGRATIONS_DIR));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 30_000);
});
