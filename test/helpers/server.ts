import { afterEach } from 'vitest';
import { configWith, type Config } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator.js';
import type { Seed } from '../../src/seed/seed-schema.js';
import { TestClock } from './clock.js';
import { TEST_SEED } from './fixtures.js';

export interface RunningServer extends Emulator {
  /** http://127.0.0.1:<port>, also the issuer. */
  url: string;
  clock: TestClock;
}

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/**
 * The real server on a free loopback port (for real clients: oauth4webapi, Chromium), on
 * `:memory:` with the test seed and a manual clock; closed after each test.
 */
export async function startServer(options: { config?: Partial<Config>; seed?: Seed } = {}): Promise<RunningServer> {
  const clock = new TestClock();
  const emulator = await createEmulator({
    config: configWith({ databasePath: ':memory:', port: 0, host: '127.0.0.1', rateLimit: null, ...options.config }),
    seed: options.seed ?? TEST_SEED,
    baseClock: clock,
  });
  const url = await emulator.listen();
  // the issuer a client on this machine reaches without any name lookup
  emulator.context.runtime.issuer = url;
  const server = Object.assign(emulator, { url, clock });
  running.push(server);
  return server;
}
