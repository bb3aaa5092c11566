import { hashClientSecret, verifyClientSecret } from '../shared/random.js';
import type { ClientInput } from '../storage/repositories/clients.js';
import type { AppRepositories } from '../storage/repositories/index.js';

/** The playground's own client (SPEC §13): registered on every emulator, whatever the seed. */
export const PLAYGROUND_CLIENT_ID = 'askara-playground';
/**
 * A fixed, documented demo secret: the playground shows it in every request it makes, so it could
 * not be kept secret anyway; the client can do nothing a seeded user's login does not allow.
 */
export const PLAYGROUND_CLIENT_SECRET = 'askara-playground-secret';
export const PLAYGROUND_CALLBACK_PATH = '/playground/callback';

export function playgroundRedirectUri(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}${PLAYGROUND_CALLBACK_PATH}`;
}

function wanted(issuer: string): Omit<ClientInput, 'secretHash'> {
  return {
    clientId: PLAYGROUND_CLIENT_ID,
    name: 'Askara playground',
    redirectUris: [playgroundRedirectUri(issuer)],
    grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'client_credentials', 'password'],
    scopes: ['profile', 'organization'],
  };
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Registers (or repairs) the playground client for `issuer`: called after the seed, once the
 * issuer is settled, after a reset and before each playground page, so the redirect URI always
 * names the issuer in effect. Writes only when something differs. Returns whether it wrote.
 */
export function ensurePlaygroundClient(repos: AppRepositories, issuer: string, now: number): boolean {
  const want = wanted(issuer);
  const found = repos.clients.findWithSecretHash(PLAYGROUND_CLIENT_ID);
  if (
    found?.secretHash &&
    found.client.name === want.name &&
    same(found.client.redirectUris, want.redirectUris) &&
    same(found.client.grantTypes, want.grantTypes) &&
    same(found.client.scopes, want.scopes) &&
    verifyClientSecret(PLAYGROUND_CLIENT_SECRET, found.secretHash)
  ) {
    return false;
  }
  repos.transaction(() => {
    const digest = repos.meta.get('seed_digest');
    repos.clients.upsert({ ...want, secretHash: hashClientSecret(PLAYGROUND_CLIENT_SECRET) }, now);
    // this client is not seed data: keep the digest the clients trigger just forgot, so a restart
    // with an unchanged seed still skips re-applying it (src/seed/seed-source.ts)
    if (digest !== undefined) repos.meta.set('seed_digest', digest);
  });
  return true;
}
