import type { Command } from 'commander';
import { applySeed } from '../../seed/apply-seed.js';
import { loadSeedFile } from '../../seed/load-seed.js';
import { cliConfig, withDatabase, type CliIO, type GlobalOptions } from '../context.js';

/** `migrate` and `seed FILE`. */
export function databaseCommands(program: Command, io: CliIO): void {
  program
    .command('migrate')
    .description('create the database file if needed and apply every migration (the server does this at start too)')
    .action(async (_options, command: Command) => {
      const config = cliConfig(io, command.optsWithGlobals<GlobalOptions>());
      const applied = await withDatabase(config, ({ db }) => db.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number });
      io.out(`Database ${config.databasePath} is up to date (${applied.n} migration${applied.n === 1 ? '' : 's'} applied).\n`);
    });

  program
    .command('seed')
    .description('apply a seed file (JSON or YAML, SPEC §3): upsert its organizations, users and clients; nothing else changes')
    .argument('<file>', 'path to the seed file')
    .addHelpText('after', '\nExample:\n  askara-emulator seed ./seed.json --database ./data/askara.sqlite\n')
    .action(async (file: string, _options, command: Command) => {
      const config = cliConfig(io, command.optsWithGlobals<GlobalOptions>());
      const counts = await withDatabase(config, async ({ repos, now }) => {
        const known = new Set(repos.users.listOrganizations().map((o) => o.uuid));
        const seed = loadSeedFile(file, known);
        await applySeed(seed, repos, now);
        return [seed.organizations?.length ?? 0, seed.users?.length ?? 0, seed.clients?.length ?? 0];
      });
      io.out(`Applied ${file} to ${config.databasePath}: ${counts[0]} organization(s), ${counts[1]} user(s), ${counts[2]} client(s).\n`);
    });
}
