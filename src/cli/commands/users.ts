import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { applySeed } from '../../seed/apply-seed.js';
import { parseSeed, SeedError } from '../../seed/load-seed.js';
import type { SeedUser } from '../../seed/seed-schema.js';
import { CliError, cliConfig, table, withDatabase, type CliIO, type GlobalOptions } from '../context.js';

interface AddOptions extends GlobalOptions {
  email: string;
  password: string;
  uuid?: string;
  firstName?: string;
  lastName?: string;
  organization?: string;
  role?: string;
}

const ROLES: Record<string, SeedUser['organizationRole']> = {
  admin: 'ROLE_ORGANIZATION_ADMIN',
  member: 'ROLE_ORGANIZATION_MEMBER',
  ROLE_ORGANIZATION_ADMIN: 'ROLE_ORGANIZATION_ADMIN',
  ROLE_ORGANIZATION_MEMBER: 'ROLE_ORGANIZATION_MEMBER',
};

const OPTION_OF: Record<string, string> = {
  uuid: '--uuid',
  email: '--email',
  password: '--password',
  firstName: '--first-name',
  lastName: '--last-name',
  organization: '--organization',
  organizationRole: '--role',
};

function seedUser(options: AddOptions): SeedUser {
  const user: SeedUser = { uuid: options.uuid ?? randomUUID(), email: options.email, password: options.password, isVerified: true };
  if (options.firstName !== undefined) user.firstName = options.firstName;
  if (options.lastName !== undefined) user.lastName = options.lastName;
  if (options.organization !== undefined) user.organization = options.organization;
  if (options.role !== undefined) {
    const role = ROLES[options.role];
    if (!role) throw new CliError(`--role must be admin or member; received ${options.role}`);
    user.organizationRole = role;
  }
  return user;
}

async function addUser(io: CliIO, options: AddOptions): Promise<void> {
  const config = cliConfig(io, options);
  const user = seedUser(options);
  await withDatabase(config, async ({ repos, now }) => {
    let seed;
    try {
      seed = parseSeed({ users: [user] }, new Set(repos.users.listOrganizations().map((o) => o.uuid)));
    } catch (e) {
      if (e instanceof SeedError) throw new CliError(e.message.replace(/^users\[0\]\.(\w+)/, (_m, f: string) => OPTION_OF[f] ?? f));
      throw e;
    }
    if (repos.users.findByUuid(user.uuid)) throw new CliError(`A user with uuid ${user.uuid} exists already`);
    if (repos.users.findByEmail(user.email)) throw new CliError(`A user with e-mail ${user.email} exists already`);
    await applySeed(seed, repos, now);
  });
  io.out(`Added user ${user.email} (uuid ${user.uuid}) to ${config.databasePath}; the password is stored only as an argon2id hash.\n`);
}

/** `user add|list`. */
export function userCommands(program: Command, io: CliIO): void {
  const user = program.command('user').description('add or list users (the people who log in)');
  user
    .command('add')
    .description('add a user who can log in with an e-mail and password')
    .requiredOption('--email <email>', 'the login e-mail')
    .requiredOption('--password <password>', 'the password (stored only as an argon2id hash)')
    .option('--uuid <uuid>', 'the user uuid, the `sub` of their tokens (default: a random UUID)')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .option('--organization <uuid>', 'the uuid of an existing organization')
    .option('--role <role>', 'role in the organization: admin or member')
    .addHelpText('after', '\nExample:\n  askara-emulator user add --email dr.house@example.com --password s3cret --first-name Gregory --last-name House\n')
    .action(async (_options, command: Command) => addUser(io, command.optsWithGlobals<AddOptions>()));

  user
    .command('list')
    .description('list the users (never their password hashes)')
    .option('--json', 'print JSON instead of a table')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { json?: boolean }>();
      const users = await withDatabase(cliConfig(io, options), ({ repos }) => repos.users.list());
      if (options.json) return io.out(`${JSON.stringify(users, null, 2)}\n`);
      const rows = users.map((u) => [u.uuid, u.email, [u.firstName, u.lastName].filter(Boolean).join(' '), u.organizationUuid ?? '', u.organizationRole ?? '']);
      io.out(table([['UUID', 'EMAIL', 'NAME', 'ORGANIZATION', 'ROLE'], ...rows]));
    });
}
