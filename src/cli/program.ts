import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { OAuthError } from '../oauth/errors.js';
import { VERSION } from '../paths.js';
import { SeedError } from '../seed/load-seed.js';
import { clientCommands } from './commands/clients.js';
import { databaseCommands } from './commands/database.js';
import { serveCommand } from './commands/serve.js';
import { tokenCommands } from './commands/tokens.js';
import { userCommands } from './commands/users.js';
import { CliError, type CliIO } from './context.js';

/** Exit statuses: 0 done, 1 the command failed (message says why), 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
};

function buildProgram(io: CliIO): Command {
  const program = new Command('askara-emulator')
    .description('A local stand-in for Askara\'s OAuth2 server: serve it, or manage its database (SPEC §9).')
    .version(VERSION)
    .option('-d, --database <path>', 'SQLite database file (default: DATABASE_PATH, else ./data/askara.sqlite)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nEvery command reads the environment variables of the README (DATABASE_PATH, ISSUER…) and works on the\n' +
        'same database file as a running server.\n',
    );
  serveCommand(program, io);
  databaseCommands(program, io);
  clientCommands(program, io);
  userCommands(program, io);
  tokenCommands(program, io);
  return program;
}

/** Runs the command line `argv` (without `node` and the script); resolves to the exit status. */
export async function run(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are "errors" under exitOverride; commander has printed them already
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError || e instanceof ConfigError || e instanceof SeedError || e instanceof OAuthError) {
      io.err(`askara-emulator: ${e instanceof OAuthError ? e.hint : e.message}\n`);
      return EXIT.failed;
    }
    io.err(`askara-emulator: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.failed;
  }
}
