import type { Writable } from 'node:stream';
import { ConfigError, type Config } from './config.js';
import { createEmulator, type CreateEmulatorOptions, type Emulator } from './emulator.js';
import { loggerOptions } from './observability/logger.js';
import { DEMO_SEED } from './seed/demo.js';
import { SeedError } from './seed/load-seed.js';

function banner(emulator: Emulator, config: Config, address: string): string {
  const issuer = emulator.context.runtime.issuer;
  const lines = [
    '',
    `  Askara emulator ready at ${issuer}  (listening on ${address})`,
    `  metadata   ${issuer}/.well-known/oauth-authorization-server`,
    `  authorize  ${issuer}/authorize    token ${issuer}/oauth2/token    me ${issuer}/me`,
    `  pages      ${issuer}/    playground ${issuer}/playground    console ${issuer}/console    API docs ${issuer}/docs`,
    `  control    ${issuer}/_emulator/…  ${config.adminToken ? '(needs Authorization: Bearer $ADMIN_TOKEN)' : '(loopback clients only)'}    metrics ${issuer}/metrics`,
    '',
  ];
  if (!config.seedPath) {
    lines.push('  Demo clients:');
    for (const c of DEMO_SEED.clients ?? []) {
      lines.push(`    ${c.name}: client_id=${c.clientId}${c.clientSecret ? ` client_secret=${c.clientSecret}` : ' (public)'} redirect_uri=${c.redirectUris?.[0]}`);
    }
    lines.push('  Demo logins:');
    for (const u of DEMO_SEED.users ?? []) lines.push(`    ${u.email} / ${u.password} (${u.organizationRole})`);
  } else {
    lines.push(`  Seed: ${config.seedPath}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/**
 * Serves until SIGINT/SIGTERM (`npm start`, `askara-emulator serve`, the container's CMD):
 * opens the database, applies the seed, listens, prints the URLs, clients and logins.
 */
export async function serve(
  config: Config,
  { out = process.stdout, firstKey }: { out?: Writable; firstKey?: CreateEmulatorOptions['firstKey'] } = {},
): Promise<Emulator> {
  const emulator = await createEmulator({ config, logger: loggerOptions(config.logLevel), firstKey });
  emulator.context.metrics.collectProcessMetrics();
  let address: string;
  try {
    address = await emulator.listen();
  } catch (e) {
    await emulator.close();
    throw e;
  }
  out.write(banner(emulator, config, address));
  const stop = async (signal: string) => {
    emulator.app.log.info({ signal }, 'shutting down');
    await emulator.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return emulator;
}

/** Why the server could not start, in one message: configuration, seed and address problems without a stack. */
export function describeStartFailure(e: unknown): string {
  if (e instanceof ConfigError || e instanceof SeedError) return e.message;
  const error = e as NodeJS.ErrnoException & { address?: string; port?: number };
  if (error.code === 'EADDRINUSE') return `${error.address}:${error.port} is already in use; stop what listens there or choose another PORT`;
  if (error.code === 'EADDRNOTAVAIL') return `cannot listen on ${error.address}: no such address on this machine; check HOST`;
  return `failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}

export function reportStartFailure(e: unknown, err: Writable = process.stderr): void {
  err.write(`askara-emulator: ${describeStartFailure(e)}\n`);
}
