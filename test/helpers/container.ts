import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

export const DOCKERFILE = readFileSync(resolve(PACKAGE_ROOT, 'Dockerfile'), 'utf8');

/** The container's CMD, exec form: ["node", ...flags, "dist/askara-emulator.mjs"] (bench/lib/constants.mjs reads it too). */
export const CONTAINER_CMD = JSON.parse(/^CMD (\[.*\])$/m.exec(DOCKERFILE)?.[1] ?? '[]') as string[];
