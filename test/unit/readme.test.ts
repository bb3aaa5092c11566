import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, settings } from '../../src/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every configuration variable with its real default', () => {
    const defaults = loadConfig({});
    for (const s of settings) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${s.env}\` |`));
      expect(row, `README has no row for ${s.env}`).toBeDefined();
      if (s.default !== undefined) expect(row).toContain(`\`${s.default}\``);
      expect(defaults).toHaveProperty(s.key);
    }
  });

  it('keeps the two quick-start commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
