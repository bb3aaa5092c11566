import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('SECURITY.md', root), 'utf8');
/** Every "`test/….test.ts` › "name"" reference of SECURITY.md. */
const references = [...doc.matchAll(/`(test\/[\w/.-]+\.test\.ts)` › "([^"]+)"/g)].map(([, file = '', name = '']) => ({ file, name }));
/** Every `src/…` path SECURITY.md names. */
const sources = [...new Set([...doc.matchAll(/`(src\/[\w/.-]+\.ts)`/g)].map(([, path = '']) => path))];

describe('SECURITY.md', () => {
  it('names tests that exist, each under the name it quotes', () => {
    expect(references.length).toBeGreaterThan(40);
    for (const { file, name } of references) {
      const path = new URL(file, root);
      expect(existsSync(path), `${file} does not exist`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${file} has no test named "${name}…"`).toContain(name);
    }
  });

  it('names source files that exist', () => {
    expect(sources.length).toBeGreaterThan(10);
    for (const path of sources) expect(existsSync(new URL(path, root)), `${path} does not exist`).toBe(true);
  });

  it('is linked from the README', () => {
    expect(readFileSync(new URL('README.md', root), 'utf8')).toContain('[SECURITY.md](SECURITY.md)');
  });
});
