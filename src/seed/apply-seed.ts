import { hashPassword } from '../accounts/passwords.js';
import { hashClientSecret, verifyClientSecret } from '../shared/random.js';
import type { AppRepositories } from '../storage/repositories/index.js';
import type { Seed } from './seed-schema.js';

/**
 * Upserts the seed's records by uuid / clientId (SPEC §3); nothing else is touched. Passwords are
 * stored as argon2id hashes (hashed in parallel on libuv's pool), client secrets as salted HMACs.
 */
export async function applySeed(seed: Seed, repos: AppRepositories, now: number, digest?: string): Promise<void> {
  const users = seed.users ?? [];
  const hashes = await Promise.all(users.map((u) => hashPassword(u.password)));
  repos.transaction(() => {
    for (const org of seed.organizations ?? []) repos.users.upsertOrganization(org, now);
    users.forEach((u, i) => {
      const { password: _password, organization, ...fields } = u;
      repos.users.upsert({ ...fields, organizationUuid: organization ?? null, passwordHash: hashes[i] ?? null }, now);
    });
    for (const c of seed.clients ?? []) {
      const existing = repos.clients.findWithSecretHash(c.clientId)?.secretHash;
      // keep the stored hash when the secret is unchanged, so the row does not churn at every start
      const secretHash = !c.clientSecret ? null : existing && verifyClientSecret(c.clientSecret, existing) ? existing : hashClientSecret(c.clientSecret);
      repos.clients.upsert(
        {
          clientId: c.clientId,
          name: c.name,
          secretHash,
          redirectUris: c.redirectUris ?? [],
          grantTypes: c.grantTypes ?? [],
          scopes: c.scopes ?? [],
        },
        now,
      );
    }
    // after the upserts, whose triggers forget the previous digest (migrations/0002_…)
    if (digest !== undefined) repos.meta.set('seed_digest', digest);
  });
}
