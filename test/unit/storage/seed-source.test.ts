import { describe, expect, it } from 'vitest';
import { seedDatabase } from '../../../src/seed/seed-source.js';
import { ALICE, TEST_SEED } from '../../helpers/fixtures.js';
import { memoryDatabase } from '../../helpers/database.js';

const repos = () => memoryDatabase().repos;

describe('seedDatabase (the seed applied at every start)', () => {
  it('applies a seed once, then skips it while neither the seed nor the seeded tables changed', async () => {
    const r = repos();
    expect(await seedDatabase({ seed: TEST_SEED }, r, 1)).toBe(true);
    const hash = r.users.findPasswordHash(ALICE.email)?.passwordHash;
    expect(await seedDatabase({ seed: TEST_SEED }, r, 2)).toBe(false);
    expect(r.users.findPasswordHash(ALICE.email)?.passwordHash).toBe(hash);
  });

  it('applies it again after a user, organization or client changed by another way (console, CLI)', async () => {
    const r = repos();
    await seedDatabase({ seed: TEST_SEED }, r, 1);
    r.clients.remove('web-client');
    expect(r.meta.get('seed_digest')).toBeUndefined();
    expect(await seedDatabase({ seed: TEST_SEED }, r, 2)).toBe(true);
    expect(r.clients.find('web-client')?.name).toBe('Test Web PMS');
    expect(await seedDatabase({ seed: TEST_SEED }, r, 3)).toBe(false);
  });

  it('applies a changed seed', async () => {
    const r = repos();
    await seedDatabase({ seed: TEST_SEED }, r, 1);
    const renamed = { ...TEST_SEED, users: TEST_SEED.users?.map((u) => ({ ...u, firstName: 'Alicia' })) };
    expect(await seedDatabase({ seed: renamed }, r, 2)).toBe(true);
    expect(r.users.findByEmail(ALICE.email)?.firstName).toBe('Alicia');
  });
});
