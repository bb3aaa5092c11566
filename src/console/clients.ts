import { KNOWN_GRANT_TYPES } from '../oauth/grants/index.js';
import type { Client } from '../oauth/ports.js';
import { seedProblems } from '../seed/load-seed.js';
import type { SeedClient } from '../seed/seed-schema.js';
import { hashClientSecret, randomId } from '../shared/random.js';
import { addSeedProblems, hasErrors, lines, words, type FieldErrors, type FormValues } from './form.js';
import type { ConsoleRepositories } from './ports.js';

/** The grant types a client may be allowed, in the order the form lists them. */
export const GRANT_CHOICES = KNOWN_GRANT_TYPES;

/** What the client form shows: the values as typed (re-shown after an error) or as stored. */
export interface ClientFields {
  clientId: string;
  name: string;
  type: 'confidential' | 'public';
  redirectUris: string;
  grantTypes: string[];
  scopes: string;
}

export const NEW_CLIENT: ClientFields = {
  clientId: '',
  name: '',
  type: 'confidential',
  redirectUris: '',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: 'profile organization',
};

export function clientFields(client: Client): ClientFields {
  return {
    clientId: client.id,
    name: client.name,
    type: client.isPublic ? 'public' : 'confidential',
    redirectUris: client.redirectUris.join('\n'),
    grantTypes: client.grantTypes,
    scopes: client.scopes.join(' '),
  };
}

export function readClientForm(form: FormValues): ClientFields {
  const type = form.text('type');
  return {
    // longer than the rules allow (200), so that the rules say so rather than a silent cut
    clientId: form.text('clientId', 1000),
    name: form.text('name', 1000),
    type: type === 'public' ? 'public' : 'confidential',
    redirectUris: form.text('redirectUris', 20_000),
    grantTypes: form.all('grantTypes'),
    scopes: form.text('scopes'),
  };
}

const FRIENDLY: Record<string, string> = {
  'clientId must match pattern "^[\\x21-\\x7E]+$"': 'Use printable ASCII characters, without spaces.',
  'scopes must match pattern "^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$"': 'A scope is printable ASCII without spaces, double quotes or backslashes (RFC 6749 §3.3).',
};

/** The form's values checked by the seed's rules (SPEC §3) and the console's own; the client to store or the errors. */
function validate(fields: ClientFields, rawType: string): { client: Required<Omit<SeedClient, 'clientSecret'>> } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (fields.clientId === '') errors.clientId = 'Enter a client id.';
  if (fields.name === '') errors.name = 'Enter a name.';
  if (rawType !== 'public' && rawType !== 'confidential') errors.type = 'Choose public or confidential.';
  if (fields.grantTypes.length === 0) errors.grantTypes = 'Choose at least one grant type.';
  const record: SeedClient = {
    clientId: fields.clientId,
    name: fields.name,
    redirectUris: lines(fields.redirectUris),
    grantTypes: fields.grantTypes,
    scopes: words(fields.scopes),
    // the rules only ask whether there is a secret; the real one is generated after validation
    ...(fields.type === 'confidential' ? { clientSecret: 'x' } : {}),
  };
  const checked = seedProblems({ clients: [record] });
  addSeedProblems(errors, checked.problems, FRIENDLY);
  if (hasErrors(errors) || !('seed' in checked)) return { errors };
  const { clientSecret: _secret, ...client } = checked.seed.clients?.[0] as SeedClient;
  return { client: { ...client, redirectUris: client.redirectUris ?? [], grantTypes: client.grantTypes ?? [], scopes: client.scopes ?? [] } };
}

/** A new client secret: shown once, stored as the seed stores secrets (a salted HMAC). */
function newSecret(): { secret: string; secretHash: string } {
  const secret = randomId(24);
  return { secret, secretHash: hashClientSecret(secret) };
}

export type ClientChange = { ok: true; clientId: string; secret?: string } | { ok: false; errors: FieldErrors };

export function createClient(repos: ConsoleRepositories, form: FormValues, now: number): ClientChange {
  const fields = readClientForm(form);
  const checked = validate(fields, form.text('type'));
  if ('errors' in checked) return { ok: false, errors: checked.errors };
  const { client } = checked;
  return repos.transaction((): ClientChange => {
    if (repos.clients.find(client.clientId)) return { ok: false, errors: { clientId: `A client with the id ${client.clientId} exists already.` } };
    const secret = fields.type === 'confidential' ? newSecret() : undefined;
    repos.clients.upsert({ ...client, secretHash: secret?.secretHash ?? null }, now);
    return { ok: true, clientId: client.clientId, ...(secret ? { secret: secret.secret } : {}) };
  });
}

/**
 * Changes a client (its id stays). A public client made confidential gets a new secret, shown
 * once; a confidential one made public loses its secret. Its tokens stay valid.
 */
export function updateClient(repos: ConsoleRepositories, clientId: string, form: FormValues, now: number): ClientChange | undefined {
  const stored = repos.clients.findWithSecretHash(clientId);
  if (!stored) return undefined;
  const fields = { ...readClientForm(form), clientId };
  const checked = validate(fields, form.text('type'));
  if ('errors' in checked) return { ok: false, errors: checked.errors };
  const secret = fields.type === 'confidential' && stored.secretHash === null ? newSecret() : undefined;
  const secretHash = fields.type === 'public' ? null : (secret?.secretHash ?? stored.secretHash);
  repos.clients.upsert({ ...checked.client, clientId, secretHash }, now);
  return { ok: true, clientId, ...(secret ? { secret: secret.secret } : {}) };
}

/** A new secret for a confidential client (the old one stops working at once); undefined for an unknown or public client. */
export function renewClientSecret(repos: ConsoleRepositories, clientId: string, now: number): string | undefined {
  const stored = repos.clients.findWithSecretHash(clientId);
  if (!stored || stored.secretHash === null) return undefined;
  const { secret, secretHash } = newSecret();
  const { id, name, redirectUris, grantTypes, scopes } = stored.client;
  repos.clients.upsert({ clientId: id, name, secretHash, redirectUris, grantTypes, scopes }, now);
  return secret;
}
