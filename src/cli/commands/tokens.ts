import type { Command } from 'commander';
import { KeyStore } from '../../oauth/keys.js';
import { mintTokens } from '../../oauth/mint-tokens.js';
import { OAuthError } from '../../oauth/errors.js';
import { CliError, cliConfig, withContext, withDatabase, type CliIO, type GlobalOptions } from '../context.js';

interface TokenOptions extends GlobalOptions {
  client: string;
  user: string;
  scope?: string;
  issuer?: string;
}

/** `token` (mint a pair) and `keys rotate|list`. */
export function tokenCommands(program: Command, io: CliIO): void {
  program
    .command('token')
    .description('mint a token pair for a client and user without any flow; prints the token response JSON')
    .requiredOption('--client <client_id>', 'a registered client')
    .requiredOption('--user <email|uuid>', "a user's e-mail or uuid")
    .option('--scope <scopes>', 'space-separated scopes (default: every scope of the client)')
    .option('--issuer <url>', "the `iss` claim: the running server's ISSUER (default: ISSUER, else http://localhost:$PORT)")
    .addHelpText(
      'after',
      '\nThe tokens are signed with the key in the database and stored there, so a server on the same file accepts them\n' +
        '(the issuer must match its ISSUER). Times use the real clock, not a server\'s moved clock.\n\n' +
        'Example:\n  askara-emulator token --client demo-web-client --user john.doe@example.com --scope "profile organization"\n',
    )
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<TokenOptions>();
      const config = cliConfig(io, options, options.issuer !== undefined ? { ISSUER: options.issuer } : {});
      const pair = await withContext(config, (context) =>
        mintTokens({ clientId: options.client, user: options.user, scope: options.scope }, context.protocol).catch((e: unknown) => {
          throw e instanceof OAuthError ? new CliError(e.hint) : e;
        }),
      );
      io.out(`${JSON.stringify(pair)}\n`);
    });

  const keys = program.command('keys').description('list or rotate the signing keys');
  keys
    .command('rotate')
    .description('make a new RS256 signing key active; retired keys stay in the JWKS, so live tokens keep verifying')
    .addHelpText('after', '\nA running server keeps signing with the key it loaded and publishes the new one after its next start.\n')
    .action(async (_options, command: Command) => {
      const config = cliConfig(io, command.optsWithGlobals<GlobalOptions>());
      const key = await withDatabase(config, ({ repos, now }) => KeyStore.rotate(repos.signingKeys, now));
      io.out(`New active signing key ${key.kid} in ${config.databasePath}. Restart a running server to sign with it.\n`);
    });
  keys
    .command('list')
    .description('list the signing keys, active first')
    .action(async (_options, command: Command) => {
      const config = cliConfig(io, command.optsWithGlobals<GlobalOptions>());
      const all = await withDatabase(config, ({ repos }) => repos.signingKeys.all());
      if (all.length === 0) throw new CliError('No signing key yet: one is generated at the first start (or by `keys rotate`)');
      for (const k of all) io.out(`${k.kid}  ${k.alg}  ${k.status}  created ${new Date(k.createdAt).toISOString()}\n`);
    });
}
