import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { KeyStore, generateSigningKey, type SigningKeyRecord } from './oauth/keys.js';
import { createRepositories } from './storage/repositories/index.js';
import { createContext, type AppContext } from './context.js';
import { ensurePlaygroundClient } from './seed/playground-client.js';
import { seedDatabase } from './seed/seed-source.js';
import type { Seed } from './seed/seed-schema.js';
import { EmulatorClock, systemClock, type Clock } from './shared/clock.js';
import { closeDatabase, openDatabase } from './storage/database.js';

export interface Emulator {
  app: FastifyInstance;
  context: AppContext;
  /** Listens on config.host:config.port and settles the issuer (with PORT=0, the bound port). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface CreateEmulatorOptions {
  config: Config;
  /** Seed data to apply instead of config.seedPath / the demo data. */
  seed?: Seed;
  baseClock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /**
   * The signing key to store when the database has none: tests reuse one instead of generating
   * RSA keys; server.ts passes one it started generating before the server loaded.
   */
  firstKey?: SigningKeyRecord | Promise<SigningKeyRecord>;
}

/** Opens the database, applies migrations and the seed, loads the keys and builds the app. */
export async function createEmulator(options: CreateEmulatorOptions): Promise<Emulator> {
  const { config } = options;
  const db = openDatabase(config.databasePath);
  try {
    const clock = new EmulatorClock(options.baseClock ?? systemClock);
    const repos = createRepositories(db);
    const keys = KeyStore.load(repos.signingKeys);
    const context = await createContext({ config, clock, db, repos, keys });
    // On a first start the RSA key (0.05 to 0.3 s) and the seed's argon2 hashes are thread-pool
    // work: both run while the main thread builds the app. The key is active before this returns.
    const firstKey = async () => keys.activate(await (options.firstKey ?? generateSigningKey(clock.now())), clock.now());
    const [keyed, seeded, built] = await Promise.allSettled([
      keys.activeKid ? undefined : firstKey(),
      seedDatabase(options.seed ? { seed: options.seed } : config.seedPath ? { path: config.seedPath } : 'demo', repos, clock.now()),
      buildApp({ context, logger: options.logger ?? false }),
    ]);
    if (built.status === 'rejected') throw built.reason;
    const app = built.value;
    for (const step of [keyed, seeded]) {
      if (step.status === 'rejected') {
        await app.close();
        throw step.reason;
      }
    }
    // the playground's client, whatever the seed (SPEC §13); again after a reset, in case it was removed
    const ensurePlayground = () => ensurePlaygroundClient(context.repos, context.runtime.issuer, clock.now());
    ensurePlayground();
    context.onReset.push(ensurePlayground);
    return {
      app,
      context,
      async listen() {
        const address = await app.listen({ port: config.port, host: config.host });
        if (config.issuer === undefined) {
          const port = (app.server.address() as { port: number }).port;
          context.runtime.issuer = `http://localhost:${port}`;
          ensurePlayground();
        }
        return address;
      },
      async close() {
        await app.close();
        closeDatabase(db);
      },
    };
  } catch (e) {
    closeDatabase(db);
    throw e;
  }
}
