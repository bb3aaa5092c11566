import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('time comes from the emulator clock (SPEC §4, §8)', () => {
  it('no source file reads the system time except the clock module', () => {
    // every expiry, iat/exp, lock and rate-limit refill must move with /_emulator/clock
    const offenders = sources(join(PACKAGE_ROOT, 'src'))
      .filter((file) => !file.endsWith(join('shared', 'clock.ts')))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(PACKAGE_ROOT, file)}:${i + 1}` }))
          .filter(({ line }) => /\bDate\.now\(|new Date\(\s*\)|performance\.now\(|process\.hrtime/.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
