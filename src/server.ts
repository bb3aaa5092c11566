#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import { createEmulator } from './emulator.js';
import { DEMO_SEED } from './seed/demo.js';
import { SeedError } from './seed/load-seed.js';

/** `npm start`: serve until SIGINT/SIGTERM, printing the URLs, clients and logins. */
async function main(): Promise<void> {
  const config = loadConfig();
  const emulator = await createEmulator({
    config,
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  await emulator.listen();
  const issuer = emulator.context.runtime.issuer;
  const lines = [
    '',
    `  Askara emulator ready at ${issuer}`,
    `  metadata   ${issuer}/.well-known/oauth-authorization-server`,
    `  authorize  ${issuer}/authorize    token ${issuer}/oauth2/token    me ${issuer}/me`,
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
  process.stdout.write(`${lines.join('\n')}\n\n`);
  const stop = async (signal: string) => {
    emulator.app.log.info({ signal }, 'shutting down');
    await emulator.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof SeedError) {
    process.stderr.write(`askara-emulator: ${e.message}\n`);
  } else {
    process.stderr.write(`askara-emulator: failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
