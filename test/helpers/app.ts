import { afterEach } from 'vitest';
import { configWith, type Config } from '../../src/config.js';
import { createEmulator, type CreateEmulatorOptions, type Emulator } from '../../src/emulator.js';
import { generateSigningKey, type SigningKeyRecord } from '../../src/oauth/keys.js';
import type { Seed } from '../../src/seed/seed-schema.js';
import { TestClock } from './clock.js';
import { TEST_SEED } from './fixtures.js';

export const ISSUER = 'http://127.0.0.1:8080';

export interface TestApp extends Emulator {
  /** The base clock: `advanceBy` moves the emulator's time as the control API would. */
  clock: TestClock;
}

const open: TestApp[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

// one RSA key per test worker: generating one per app would cost ~0.3 s per test
let sharedKey: Promise<SigningKeyRecord> | undefined;
export function testSigningKey(): Promise<SigningKeyRecord> {
  sharedKey ??= generateSigningKey(Date.parse('2026-01-01T00:00:00Z'));
  return sharedKey;
}

/** A ready app on `:memory:` with the test seed and a manual clock, closed after each test. */
export async function buildTestApp(
  options: { config?: Partial<Config>; seed?: Seed; logLines?: string[]; logger?: CreateEmulatorOptions['logger'] } = {},
): Promise<TestApp> {
  const clock = new TestClock();
  const emulator = await createEmulator({
    config: configWith({ databasePath: ':memory:', issuer: ISSUER, rateLimit: null, ...options.config }),
    seed: options.seed ?? TEST_SEED,
    baseClock: clock,
    firstKey: await testSigningKey(),
    // `logLines` collects the JSON log lines, for tests of what is (and is not) logged
    ...(options.logLines ? { logger: { level: 'info', stream: { write: (line: string) => void options.logLines?.push(line) } } } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await emulator.app.ready();
  const app = Object.assign(emulator, { clock });
  open.push(app);
  return app;
}
