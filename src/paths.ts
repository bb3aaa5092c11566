import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, from `src/` (tests) and `dist/` (built) alike. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const VIEWS_DIR = resolve(PACKAGE_ROOT, 'views');
export const PUBLIC_DIR = resolve(PACKAGE_ROOT, 'public');
export const MIGRATIONS_DIR = resolve(PACKAGE_ROOT, 'migrations');

export const VERSION: string = (
  JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
