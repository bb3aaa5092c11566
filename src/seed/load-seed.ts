import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DEVICE_CODE_GRANT } from '../oauth/grants/index.js';
import type { Seed } from './seed-schema.js';
import { validate } from './seed-validator.generated.js';

export class SeedError extends Error {
  override name = 'SeedError';
}

// yaml loads on first use: a restart whose seed is already applied does not need it (fast cold start).
const require = createRequire(import.meta.url);
/**
 * The seed schema's validator, finding every broken rule: compiled ahead of time from seedSchema
 * (`npm run generate:seed-validator`), which saves a first start about 20 ms of Ajv compiling it.
 */
const validateSeed = validate as ValidateFunction<Seed>;

/** One broken rule: where (`clients[0].redirectUris[1]`, or `(top level)`) and what. */
export interface SeedProblem {
  at: string;
  message: string;
}

/** Receives each broken rule; parseSeed throws at the first, seedProblems collects them all. */
type Report = (at: string, message: string) => void;

function describe(error: ErrorObject): SeedProblem {
  const at = error.instancePath.replace(/^\//, '').replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.') || '(top level)';
  if (error.keyword === 'additionalProperties') return { at, message: `unknown field "${String(error.params.additionalProperty)}"` };
  if (error.keyword === 'required') {
    const field = String(error.params.missingProperty);
    return { at: at === '(top level)' ? field : `${at}.${field}`, message: 'is required' };
  }
  if (error.keyword === 'enum') return { at, message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  return { at, message: error.message ?? 'is invalid' };
}

function checkUri(uri: string, where: string, report: Report): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return report(where, `"${uri}" is not an absolute URI`);
  }
  if (url.hash || uri.includes('#')) return report(where, `"${uri}" has a fragment, which RFC 6749 §3.1.2 forbids`);
  // a redirect to script or inline content would run in the browser that finishes the flow (RFC 9700 §4.1)
  if (['javascript:', 'data:', 'vbscript:', 'file:', 'blob:'].includes(url.protocol)) {
    report(where, `"${uri}" uses the ${url.protocol} scheme, which cannot receive an authorization response; use http(s) or an app's private-use scheme`);
  }
}

/** Records are upserted by key (SPEC §3): a key used twice in one file would make the first vanish. */
function checkUnique<T>(section: string, records: readonly T[] | undefined, key: keyof T & string, report: Report): void {
  const seen = new Map<unknown, number>();
  (records ?? []).forEach((record, i) => {
    const value = record[key];
    const first = seen.get(value);
    if (first !== undefined) report(`${section}[${i}].${key}`, `${String(value)} is used by ${section}[${first}]`);
    else seen.set(value, i);
  });
}

/** Cross-field rules JSON Schema cannot say (SPEC §3). Normalises grant type short forms. */
function checkSeed(seed: Seed, knownOrganizations: ReadonlySet<string>, report: Report): Seed {
  checkUnique('organizations', seed.organizations, 'uuid', report);
  checkUnique('users', seed.users, 'uuid', report);
  checkUnique('clients', seed.clients, 'clientId', report);
  const orgs = new Set([...knownOrganizations, ...(seed.organizations ?? []).map((o) => o.uuid)]);
  const emails = new Set<string>();
  (seed.users ?? []).forEach((u, i) => {
    if (u.organization && !orgs.has(u.organization)) report(`users[${i}].organization`, `no organization has uuid ${u.organization}`);
    const key = u.email.toLowerCase();
    if (emails.has(key)) report(`users[${i}].email`, `${u.email} is used by another user of the seed`);
    emails.add(key);
  });
  const clients = (seed.clients ?? []).map((c, i) => {
    const grantTypes = [...new Set((c.grantTypes ?? ['authorization_code', 'refresh_token']).map((g) => (g === 'device_code' ? DEVICE_CODE_GRANT : g)))];
    if (!c.clientSecret) {
      for (const g of ['client_credentials', 'password']) {
        if (grantTypes.includes(g)) report(`clients[${i}].grantTypes`, `a public client (no clientSecret) can never use ${g}`);
      }
    }
    const redirectUris = c.redirectUris ?? [];
    redirectUris.forEach((u, j) => checkUri(u, `clients[${i}].redirectUris[${j}]`, report));
    if (redirectUris.length === 0 && (grantTypes.includes('authorization_code') || grantTypes.includes('implicit'))) {
      report(`clients[${i}].redirectUris`, 'needed for the authorization_code and implicit grants');
    }
    return { ...c, grantTypes, redirectUris, scopes: c.scopes ?? ['profile', 'organization'] };
  });
  return { ...seed, clients };
}

/** Parses and validates seed data; throws SeedError naming the offending field. */
export function parseSeed(data: unknown, knownOrganizations: ReadonlySet<string> = new Set()): Seed {
  if (!validateSeed(data)) {
    const first = validateSeed.errors?.[0];
    if (!first) throw new SeedError('invalid seed');
    const { at, message } = describe(first);
    throw new SeedError(`${at}: ${message}`);
  }
  return checkSeed(data, knownOrganizations, (at, message) => {
    throw new SeedError(`${at}: ${message}`);
  });
}

/**
 * Every rule the seed data breaks (the console shows each next to its field), or the parsed seed:
 * the same rules as parseSeed, all of them at once.
 */
export function seedProblems(data: unknown, knownOrganizations: ReadonlySet<string> = new Set()): { seed: Seed; problems: [] } | { problems: SeedProblem[] } {
  const problems: SeedProblem[] = [];
  if (!validateSeed(data)) {
    problems.push(...(validateSeed.errors ?? []).map(describe));
    try {
      // the cross-field rules too, where the records have the shape they need (a form's always do)
      checkSeed(data as Seed, knownOrganizations, (at, message) => problems.push({ at, message }));
    } catch {
      // a record too malformed for them: the schema's problems say enough
    }
    return { problems };
  }
  const seed = checkSeed(data, knownOrganizations, (at, message) => problems.push({ at, message }));
  return problems.length ? { problems } : { seed, problems: [] };
}

export function readSeedFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SeedError(`seed file ${path}: cannot read it (${(e as Error).message})`);
  }
}

/** Reads a JSON or YAML seed file; errors name the path and the field. */
export function loadSeedFile(path: string, knownOrganizations?: ReadonlySet<string>): Seed {
  return parseSeedText(readSeedFile(path), path, knownOrganizations);
}

/** Parses the text of a seed file (YAML when the path ends in .yaml or .yml). */
export function parseSeedText(text: string, path: string, knownOrganizations?: ReadonlySet<string>): Seed {
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path) ? (require('yaml') as typeof import('yaml')).parse(text) : JSON.parse(text);
  } catch (e) {
    throw new SeedError(`seed file ${path}: not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'} (${(e as Error).message})`);
  }
  try {
    return parseSeed(data, knownOrganizations);
  } catch (e) {
    throw new SeedError(`seed file ${path}: ${(e as Error).message}`);
  }
}
