import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script, without type declarations
import { GENERATED_PATH, seedValidatorSource } from '../../scripts/seed-validator.mjs';
import { seedSchema } from '../../src/seed/seed-schema.js';

describe('src/seed/seed-validator.generated.ts', () => {
  it('is what the seed schema compiles to today (else run `npm run generate:seed-validator`)', () => {
    const committed = readFileSync(GENERATED_PATH as string, 'utf8');
    const fresh = (seedValidatorSource as (schema: unknown) => string)(seedSchema);
    expect(committed === fresh, 'src/seed/seed-validator.generated.ts is stale: run `npm run generate:seed-validator`').toBe(true);
  });
});
