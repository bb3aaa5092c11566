import { invalidScope } from './errors.js';
import type { Client } from './ports.js';

/** The scopes Askara documents, with the words the consent page shows for each. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  profile: 'Read your profile: name, e-mail address, language and practitioner identifiers',
  organization: 'Read your organization: its name, address and your role in it',
};

export const KNOWN_SCOPES = Object.keys(SCOPE_DESCRIPTIONS);

export function describeScope(scope: string): string {
  return SCOPE_DESCRIPTIONS[scope] ?? `Access to "${scope}"`;
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Splits a scope parameter into its tokens; undefined when absent. */
export function parseScope(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const tokens = raw.split(' ').filter((t) => t !== '');
  const bad = tokens.find((t) => !SCOPE_TOKEN.test(t));
  if (bad !== undefined) {
    throw invalidScope(`The scope \`${bad.slice(0, 40)}\` has characters RFC 6749 §3.3 does not allow; separate scopes with single spaces`);
  }
  return [...new Set(tokens)];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/**
 * The scopes granted for a request: the requested ones if the client may have them all, or the
 * client's registered scopes when none are requested (RFC 6749 §3.3 lets the server default).
 */
export function resolveScope(requested: string[] | undefined, client: Client): string[] {
  if (requested === undefined || requested.length === 0) return [...client.scopes];
  for (const scope of requested) {
    if (!client.scopes.includes(scope)) {
      const known = KNOWN_SCOPES.includes(scope) ? 'is not registered for this client' : 'is unknown';
      throw invalidScope(`The scope \`${scope}\` ${known}; client \`${client.id}\` may request: ${formatScope(client.scopes) || '(none)'}`);
    }
  }
  return requested;
}

/** RFC 6749 §6: a refresh may narrow the original scope, never widen it. */
export function narrowScope(requested: string[] | undefined, original: readonly string[]): string[] {
  if (requested === undefined || requested.length === 0) return [...original];
  const extra = requested.filter((s) => !original.includes(s));
  if (extra.length) {
    throw invalidScope(`The refresh token was granted \`${formatScope(original)}\`; \`${formatScope(extra)}\` cannot be added on refresh`);
  }
  return requested;
}

export function covers(granted: readonly string[], requested: readonly string[]): boolean {
  return requested.every((s) => granted.includes(s));
}
