import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { KNOWN_GRANT_TYPES } from '../../oauth/grants/index.js';
import { applySeed } from '../../seed/apply-seed.js';
import { parseSeed, SeedError } from '../../seed/load-seed.js';
import type { SeedClient } from '../../seed/seed-schema.js';
import { randomId } from '../../shared/random.js';
import { CliError, cliConfig, collect, table, withDatabase, type CliIO, type GlobalOptions } from '../context.js';

interface AddOptions extends GlobalOptions {
  id?: string;
  name: string;
  secret?: string;
  public?: boolean;
  redirectUri?: string[];
  grant?: string[];
  scope?: string[];
}

const OPTION_OF: Record<string, string> = {
  clientId: '--id',
  clientSecret: '--secret',
  name: '--name',
  redirectUris: '--redirect-uri',
  grantTypes: '--grant',
  scopes: '--scope',
};

/** A seed validation message about clients[0].field, told in terms of this command's options. */
function optionMessage(e: SeedError): string {
  return e.message.replace(/^clients\[0\]\.(\w+)(\S*)/, (_m, field: string, rest: string) => `${OPTION_OF[field] ?? field}${rest}`);
}

function seedClient(options: AddOptions): SeedClient {
  if (options.public && options.secret !== undefined) throw new CliError('--public and --secret contradict each other: a public client has no secret');
  const client: SeedClient = { clientId: options.id ?? randomUUID(), name: options.name };
  if (!options.public) client.clientSecret = options.secret ?? randomId(24);
  if (options.redirectUri) client.redirectUris = options.redirectUri;
  if (options.grant) client.grantTypes = options.grant;
  if (options.scope) client.scopes = options.scope;
  return client;
}

async function addClient(io: CliIO, options: AddOptions): Promise<void> {
  const config = cliConfig(io, options);
  const client = seedClient(options);
  let seed;
  try {
    seed = parseSeed({ clients: [client] });
  } catch (e) {
    if (e instanceof SeedError) throw new CliError(optionMessage(e));
    throw e;
  }
  await withDatabase(config, async ({ repos, now }) => {
    if (repos.clients.find(client.clientId)) throw new CliError(`A client with id ${client.clientId} exists already; remove it first (client remove ${client.clientId})`);
    await applySeed(seed, repos, now);
  });
  const added = seed.clients?.[0];
  const lines = [
    `Added ${client.clientSecret ? 'confidential' : 'public'} client "${client.name}" to ${config.databasePath}`,
    `  client_id:     ${client.clientId}`,
    ...(client.clientSecret ? [`  client_secret: ${client.clientSecret}   (shown once; stored only as a hash)`] : []),
    `  grant types:   ${added?.grantTypes?.join(' ')}`,
    `  redirect URIs: ${added?.redirectUris?.join(' ') || '(none)'}`,
    `  scopes:        ${added?.scopes?.join(' ')}`,
  ];
  io.out(`${lines.join('\n')}\n`);
}

/** `client add|list|remove`. */
export function clientCommands(program: Command, io: CliIO): void {
  const client = program.command('client').description('add, list or remove OAuth clients');
  client
    .command('add')
    .description('register a client (confidential with a generated secret unless --secret or --public)')
    .requiredOption('--name <name>', 'the name shown on the consent page')
    .option('--id <client_id>', 'the client_id (default: a random UUID)')
    .option('--secret <secret>', 'the client secret (default: a random one, printed once)')
    .option('--public', 'a public client: no secret, PKCE required, may use the device grant')
    .option('--redirect-uri <uri>', 'a registered redirect URI (repeat for several)', collect)
    .option('--grant <grant_type>', `an allowed grant type (repeat; default authorization_code refresh_token): ${KNOWN_GRANT_TYPES.join(', ')}, device_code`, collect)
    .option('--scope <scope>', 'an allowed scope (repeat; default profile organization)', collect)
    .addHelpText('after', '\nExample:\n  askara-emulator client add --name "Acme PMS" --id acme --redirect-uri http://localhost:3000/callback\n')
    .action(async (_options, command: Command) => addClient(io, command.optsWithGlobals<AddOptions>()));

  client
    .command('list')
    .description('list the registered clients (never their secrets)')
    .option('--json', 'print JSON instead of a table')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { json?: boolean }>();
      const clients = await withDatabase(cliConfig(io, options), ({ repos }) => repos.clients.list());
      if (options.json) return io.out(`${JSON.stringify(clients, null, 2)}\n`);
      const rows = clients.map((c) => [c.id, c.isPublic ? 'public' : 'confidential', c.name, c.grantTypes.join(','), c.redirectUris.join(' ')]);
      io.out(table([['CLIENT_ID', 'TYPE', 'NAME', 'GRANT TYPES', 'REDIRECT URIS'], ...rows]));
    });

  client
    .command('remove')
    .description('remove a client and every code and token issued to it')
    .argument('<client_id>', 'the client to remove')
    .action(async (clientId: string, _options, command: Command) => {
      const config = cliConfig(io, command.optsWithGlobals<GlobalOptions>());
      const removed = await withDatabase(config, ({ repos }) => repos.clients.remove(clientId));
      if (!removed) throw new CliError(`No client has id ${clientId}; \`client list\` shows them`);
      io.out(`Removed client ${clientId} and its codes and tokens.\n`);
    });
}
