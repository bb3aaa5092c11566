import type { Config } from './config.js';
import { createUserAuthenticator } from './accounts/authenticate-user.js';
import { passwordVerifier } from './accounts/passwords.js';
import { FaultStore } from './faults/fault-store.js';
import { createGrantRegistry, type GrantRegistry } from './oauth/grants/index.js';
import { KeyStore } from './oauth/keys.js';
import { ADMIN_GUESS_LIMITS, GuessThrottle } from './shared/guess-throttle.js';
import type { PasswordVerifier, ProtocolDeps } from './oauth/ports.js';
import { RequestJournal } from './observability/journal.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import type { EmulatorClock } from './shared/clock.js';
import type { Db } from './storage/database.js';
import { createRepositories, type AppRepositories } from './storage/repositories/index.js';
import { forgetRuntimeState } from './storage/reset.js';

/** Everything a running emulator is made of, passed explicitly to the HTTP layer. */
export interface AppContext {
  config: Config;
  clock: EmulatorClock;
  db: Db;
  repos: AppRepositories;
  keys: KeyStore;
  grants: GrantRegistry;
  passwords: PasswordVerifier;
  /** The issuer in effect: ISSUER, or http://localhost:<bound port> once listening. */
  runtime: { issuer: string };
  protocol: ProtocolDeps;
  /** Pending faults of the control API (SPEC §8); cleared by reset. */
  faults: FaultStore;
  /** Wrong ADMIN_TOKENs per address (control API and console); cleared by reset. */
  adminGuesses: GuessThrottle;
  /** The recent requests of GET /_emulator/requests (SPEC §8); cleared by reset. */
  journal: RequestJournal;
  /** Prometheus metrics of this emulator (SPEC §14); never reset. */
  metrics: Metrics;
  /** SPEC §8 reset: forget runtime state, keep seed data and keys. */
  reset(): void;
  /** Functions other features register to be cleared by reset (faults, rate-limit buckets…). */
  onReset: Array<() => void>;
}

export async function createContext(options: {
  config: Config;
  clock: EmulatorClock;
  db: Db;
  /**
   * Already made on `db`: createEmulator loads the keys before a new database has one, so it can
   * build the app while the first key is generated. Otherwise they are opened here.
   */
  repos?: AppRepositories;
  keys?: KeyStore;
}): Promise<AppContext> {
  const { config, clock, db } = options;
  const repos = options.repos ?? createRepositories(db);
  const keys = options.keys ?? (await KeyStore.open(repos.signingKeys, clock.now()));
  const runtime = { issuer: config.issuer ?? `http://localhost:${config.port}` };
  const metrics = createMetrics();
  const protocol: ProtocolDeps = {
    settings: {
      issuer: () => runtime.issuer,
      accessTokenTtl: config.accessTokenTtl,
      refreshTokenTtl: config.refreshTokenTtl,
      authCodeTtl: config.authCodeTtl,
      deviceCodeTtl: config.deviceCodeTtl,
      devicePollInterval: config.devicePollInterval,
      accessTokenTyp: config.accessTokenTyp,
      refreshReuse: config.refreshReuse,
    },
    clock,
    repos,
    signer: keys,
    accounts: createUserAuthenticator({ users: repos.users, passwords: passwordVerifier, failures: repos.loginFailures, clock }),
    events: { tokensIssued: ({ grantType }) => metrics.tokenIssued(grantType) },
  };
  const faults = new FaultStore();
  const journal = new RequestJournal();
  const adminGuesses = new GuessThrottle(clock, ADMIN_GUESS_LIMITS);
  const context: AppContext = {
    config,
    clock,
    db,
    repos,
    keys,
    grants: createGrantRegistry(),
    passwords: passwordVerifier,
    runtime,
    protocol,
    faults,
    journal,
    metrics,
    adminGuesses,
    onReset: [() => faults.clear(), () => journal.clear(), () => adminGuesses.clear()],
    reset() {
      forgetRuntimeState(db);
      clock.reset();
      for (const fn of context.onReset) fn();
    },
  };
  return context;
}
