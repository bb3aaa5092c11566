import { randomUUID } from 'node:crypto';
import type { Organization } from '../oauth/ports.js';
import { seedProblems } from '../seed/load-seed.js';
import type { SeedOrganization } from '../seed/seed-schema.js';
import { addSeedProblems, hasErrors, type FieldErrors, type FormValues } from './form.js';
import type { ConsoleRepositories } from './ports.js';

/** The Organization fields the console edits; the others (vatNumber, latitude…) keep their values. */
export const ORGANIZATION_FIELDS = ['name', 'streetAddress', 'postalCode', 'city', 'country', 'timezone', 'phone', 'website'] as const;
export type OrganizationFields = Record<(typeof ORGANIZATION_FIELDS)[number], string>;

export const NEW_ORGANIZATION = Object.fromEntries(ORGANIZATION_FIELDS.map((f) => [f, ''])) as OrganizationFields;

export function organizationFields(org: Organization): OrganizationFields {
  return Object.fromEntries(ORGANIZATION_FIELDS.map((f) => [f, org[f] ?? ''])) as OrganizationFields;
}

export function readOrganizationForm(form: FormValues): OrganizationFields {
  return Object.fromEntries(ORGANIZATION_FIELDS.map((f) => [f, form.text(f, 500)])) as OrganizationFields;
}

export type OrganizationChange = { ok: true; uuid: string } | { ok: false; errors: FieldErrors };

/** Creates (no `uuid`) or changes an organization from the console's form, by the seed's rules. */
export function saveOrganization(repos: ConsoleRepositories, form: FormValues, now: number, uuid?: string): OrganizationChange | undefined {
  const existing = uuid === undefined ? undefined : repos.users.findOrganization(uuid);
  if (uuid !== undefined && !existing) return undefined;
  const fields = readOrganizationForm(form);
  const errors: FieldErrors = {};
  if (fields.name === '') errors.name = 'Enter a name.';
  const record: SeedOrganization = { uuid: existing?.uuid ?? randomUUID() };
  for (const f of ORGANIZATION_FIELDS) record[f] = fields[f] || null;
  addSeedProblems(errors, seedProblems({ organizations: [record] }).problems);
  if (hasErrors(errors)) return { ok: false, errors };
  const { createdAt: _c, updatedAt: _u, ...kept } = existing ?? ({} as Partial<Organization>);
  const blank = { vatNumber: null, latitude: null, longitude: null, secretariatEmail: null, dentalNomenclatureSystem: null };
  repos.users.upsertOrganization({ ...blank, ...kept, ...(record as Required<SeedOrganization>) }, now);
  return { ok: true, uuid: record.uuid };
}

/** Removes an organization that no user belongs to; otherwise says how many still do. */
export function removeOrganization(repos: ConsoleRepositories, uuid: string): { ok: true } | { ok: false; members: number } | undefined {
  return repos.transaction(() => {
    if (!repos.users.findOrganization(uuid)) return undefined;
    const members = repos.users.countMembers(uuid);
    if (members > 0) return { ok: false as const, members };
    repos.users.removeOrganization(uuid);
    return { ok: true as const };
  });
}
