import { randomUUID } from 'node:crypto';
import { hashPassword } from '../accounts/passwords.js';
import type { User } from '../oauth/ports.js';
import { seedProblems } from '../seed/load-seed.js';
import type { SeedUser } from '../seed/seed-schema.js';
import { addSeedProblems, hasErrors, type FieldErrors, type FormValues } from './form.js';
import type { ConsoleRepositories } from './ports.js';

export const ROLES = ['ROLE_ORGANIZATION_ADMIN', 'ROLE_ORGANIZATION_MEMBER'] as const;

export interface UserFields {
  email: string;
  firstName: string;
  lastName: string;
  organization: string;
  organizationRole: string;
  isVerified: boolean;
}

export const NEW_USER: UserFields = { email: '', firstName: '', lastName: '', organization: '', organizationRole: '', isVerified: true };

export function userFields(user: User): UserFields {
  return {
    email: user.email,
    firstName: user.firstName ?? '',
    lastName: user.lastName ?? '',
    organization: user.organizationUuid ?? '',
    organizationRole: user.organizationRole ?? '',
    isVerified: user.isVerified === true,
  };
}

export function readUserForm(form: FormValues): UserFields {
  return {
    email: form.text('email', 320),
    firstName: form.text('firstName', 200),
    lastName: form.text('lastName', 200),
    organization: form.text('organization', 100),
    organizationRole: form.text('organizationRole', 100),
    isVerified: form.has('isVerified'),
  };
}

const FRIENDLY: Record<string, string> = {
  'email must match format "email"': 'Enter an e-mail address such as name@example.com.',
  'organizationRole must be one of "ROLE_ORGANIZATION_ADMIN", "ROLE_ORGANIZATION_MEMBER", null': 'Choose a role from the list.',
};

export type UserChange = { ok: true; uuid: string } | { ok: false; errors: FieldErrors };

/**
 * Creates (no `uuid`) or changes a user from the console's form, by the seed's rules (SPEC §3).
 * The password is stored as an argon2id hash; left empty on a change, the stored one stays.
 * Fields the form does not show (phone, rpps…) keep their values.
 */
export async function saveUser(repos: ConsoleRepositories, form: FormValues, now: number, uuid?: string): Promise<UserChange | undefined> {
  const existing = uuid === undefined ? undefined : repos.users.findByUuid(uuid);
  if (uuid !== undefined && !existing) return undefined;
  const fields = readUserForm(form);
  const password = form.text('password', 1024);
  const errors: FieldErrors = {};
  if (fields.email === '') errors.email = 'Enter an e-mail address.';
  if (!existing && password === '') errors.password = 'Enter a password.';
  const record: SeedUser = {
    uuid: existing?.uuid ?? randomUUID(),
    email: fields.email,
    // the rules check a password only when one is typed
    password: password || 'unchanged',
    firstName: fields.firstName || null,
    lastName: fields.lastName || null,
    isVerified: fields.isVerified,
    organization: fields.organization || null,
    organizationRole: (fields.organizationRole || null) as SeedUser['organizationRole'],
  };
  const known = new Set(repos.users.listOrganizations().map((o) => o.uuid));
  const checked = seedProblems({ users: [record] }, known);
  addSeedProblems(errors, checked.problems, FRIENDLY);
  if (errors.organization) errors.organization = 'Choose an organization from the list.';
  const sameEmail = fields.email ? repos.users.findByEmail(fields.email) : undefined;
  if (!errors.email && sameEmail && sameEmail.uuid !== record.uuid) errors.email = 'Another user has this e-mail address.';
  if (hasErrors(errors)) return { ok: false, errors };

  const passwordHash = password ? await hashPassword(password) : undefined;
  const { password: _password, organization, ...stored } = record;
  repos.users.upsert(
    {
      ...(existing ?? {}),
      ...(stored as Omit<User, 'organizationUuid'>),
      organizationUuid: organization ?? null,
      organizationRole: record.organizationRole ?? null,
      ...(passwordHash ? { passwordHash } : {}),
    },
    now,
  );
  return { ok: true, uuid: record.uuid };
}
