#!/usr/bin/env node
import { loadConfig } from './config.js';
import { generateSigningKey } from './oauth/keys.js';
import { systemClock } from './shared/clock.js';
import { isNewDatabase } from './storage/database-file.js';

/**
 * `npm start` and the container's CMD: serve with the configuration of the environment (SPEC §2).
 * A new database needs an RSA signing key (0.05 to 0.3 s of thread-pool work): it is started
 * before the rest of the server loads, so it is generated while the main thread builds the app.
 */
try {
  const config = loadConfig();
  const firstKey = isNewDatabase(config.databasePath) ? generateSigningKey(systemClock.now()) : undefined;
  const { serve } = await import('./serve.js');
  await serve(config, { firstKey });
} catch (e) {
  const { reportStartFailure } = await import('./serve.js');
  reportStartFailure(e);
  process.exit(1);
}
