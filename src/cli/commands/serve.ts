import type { Command } from 'commander';
import { describeStartFailure, serve } from '../../serve.js';
import { CliError, cliConfig, wholeNumber, type CliIO, type GlobalOptions } from '../context.js';

interface ServeOptions extends GlobalOptions {
  port?: number;
  host?: string;
  seed?: string;
  issuer?: string;
}

/** `serve` (the default command): what `npm start` does, with options overriding the environment. */
export function serveCommand(program: Command, io: CliIO): void {
  program
    .command('serve', { isDefault: true })
    .description('run the server (the default command); configuration from the environment (SPEC §2), overridden by options')
    .option('-p, --port <port>', 'listen port, 0 for a free one (PORT)', wholeNumber(0, 65535))
    .option('--host <address>', 'listen address (HOST)')
    .option('--seed <file>', 'seed file applied at start (ASKARA_SEED)')
    .option('--issuer <url>', 'public base URL (ISSUER)')
    .addHelpText('after', '\nExample:\n  askara-emulator serve --port 8080 --seed ./seed.json --database ./data/askara.sqlite\n')
    // as the default command, serve receives any unknown command word: report it as one
    .allowExcessArguments()
    .action(async (_options, command: Command) => {
      const [word] = command.args;
      if (word !== undefined) command.error(`error: unknown command '${word}' (askara-emulator --help lists the commands)`, { exitCode: 2 });
      const o = command.optsWithGlobals<ServeOptions>();
      const overrides: Record<string, string | undefined> = {};
      if (o.port !== undefined) overrides.PORT = String(o.port);
      if (o.host !== undefined) overrides.HOST = o.host;
      if (o.seed !== undefined) overrides.ASKARA_SEED = o.seed;
      if (o.issuer !== undefined) overrides.ISSUER = o.issuer;
      const config = cliConfig(io, o, overrides);
      await serve(config).catch((e: unknown) => {
        throw new CliError(describeStartFailure(e));
      });
    });
}
