import { VERSION } from '../paths.js';
import { sha256 } from '../shared/random.js';
import type { AppRepositories } from '../storage/repositories/index.js';
import { applySeed } from './apply-seed.js';
import { DEMO_SEED } from './demo.js';
import { parseSeed, parseSeedText, readSeedFile } from './load-seed.js';
import type { Seed } from './seed-schema.js';

export type SeedSource = { seed: Seed } | { path: string } | 'demo';

/**
 * Applies the seed at start (SPEC §3). Applying is idempotent, so when this very seed (same text,
 * same emulator version) was the last one applied and no user, organization or client changed
 * since (the triggers of migrations/0002_… forget the digest on any change), it is skipped: no
 * argon2 hashing and no validation on a plain restart. Returns whether it was applied.
 */
export async function seedDatabase(source: SeedSource, repos: AppRepositories, now: number): Promise<boolean> {
  const text = typeof source === 'object' && 'path' in source ? readSeedFile(source.path) : JSON.stringify(source === 'demo' ? DEMO_SEED : source.seed);
  const digest = sha256(`${VERSION}\n${typeof source === 'object' && 'path' in source ? source.path : 'inline'}\n${text}`);
  if (repos.meta.get('seed_digest') === digest) return false;
  const known = new Set(repos.users.listOrganizations().map((o) => o.uuid));
  const seed = typeof source === 'object' && 'path' in source ? parseSeedText(text, source.path, known) : parseSeed(JSON.parse(text), known);
  await applySeed(seed, repos, now, digest);
  return true;
}
