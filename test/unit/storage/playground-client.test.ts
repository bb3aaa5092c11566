import { describe, expect, it } from 'vitest';
import { ensurePlaygroundClient, PLAYGROUND_CLIENT_ID, PLAYGROUND_CLIENT_SECRET } from '../../../src/seed/playground-client.js';
import { seedDatabase } from '../../../src/seed/seed-source.js';
import { verifyClientSecret } from '../../../src/shared/random.js';
import { TEST_SEED } from '../../helpers/fixtures.js';
import { memoryDatabase } from '../../helpers/database.js';

const repos = () => memoryDatabase().repos;

describe('the playground client (src/seed/playground-client.ts)', () => {
  it('is registered as a confidential client with every grant the playground walks and the issuer’s callback', () => {
    const r = repos();
    expect(ensurePlaygroundClient(r, 'http://localhost:8080', 1)).toBe(true);
    const found = r.clients.findWithSecretHash(PLAYGROUND_CLIENT_ID);
    expect(found?.client).toMatchObject({
      isPublic: false,
      redirectUris: ['http://localhost:8080/playground/callback'],
      grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'client_credentials', 'password'],
      scopes: ['profile', 'organization'],
    });
    expect(verifyClientSecret(PLAYGROUND_CLIENT_SECRET, found?.secretHash ?? '')).toBe(true);
  });

  it('writes nothing when already right, and follows an issuer that changed', () => {
    const r = repos();
    ensurePlaygroundClient(r, 'http://localhost:8080', 1);
    expect(ensurePlaygroundClient(r, 'http://localhost:8080', 2)).toBe(false);
    expect(ensurePlaygroundClient(r, 'http://127.0.0.1:43210', 3)).toBe(true);
    expect(r.clients.find(PLAYGROUND_CLIENT_ID)?.redirectUris).toEqual(['http://127.0.0.1:43210/playground/callback']);
  });

  it('comes back after being removed, and leaves the seed digest alone so an unchanged seed is still skipped', async () => {
    const r = repos();
    await seedDatabase({ seed: TEST_SEED }, r, 1);
    ensurePlaygroundClient(r, 'http://localhost:8080', 1);
    r.clients.remove(PLAYGROUND_CLIENT_ID); // the trigger forgets the digest, as for any client change
    await seedDatabase({ seed: TEST_SEED }, r, 2);
    expect(ensurePlaygroundClient(r, 'http://localhost:8080', 2)).toBe(true);
    expect(await seedDatabase({ seed: TEST_SEED }, r, 3)).toBe(false);
  });
});
