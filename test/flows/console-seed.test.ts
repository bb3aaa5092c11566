import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configWith } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator.js';
import { testSigningKey } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { ConsoleBrowser } from '../helpers/console.js';
import { DESKTOP, TEST_SEED, WEB } from '../helpers/fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(databasePath: string): Promise<Emulator> {
  const emulator = await createEmulator({
    config: configWith({ databasePath, issuer: 'http://127.0.0.1:8080', rateLimit: null }),
    seed: TEST_SEED,
    baseClock: new TestClock(),
    firstKey: await testSigningKey(),
  });
  await emulator.app.ready();
  return emulator;
}

describe('console changes and the seed applied at start (SPEC §3)', () => {
  it('keeps what the console added across a restart; seeded records changed or removed in the console come back from the seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'askara-console-'));
    dirs.push(dir);
    const path = join(dir, 'askara.sqlite');

    const first = await start(path);
    try {
      expect(first.context.repos.meta.get('seed_digest')).toBeDefined();
      const browser = new ConsoleBrowser(first.app);
      const added = await browser.submit('/console/clients/new', '/console/clients', {
        clientId: 'added-in-console',
        name: 'Added in the console',
        type: 'public',
        redirectUris: 'http://127.0.0.1/cb',
        grantTypes: ['authorization_code'],
        scopes: 'profile',
      });
      expect(added.statusCode).toBe(303);
      const renamed = await browser.submit(`/console/clients/${WEB.clientId}`, `/console/clients/${WEB.clientId}`, {
        name: 'Renamed in the console',
        type: 'confidential',
        redirectUris: WEB.redirectUris.join('\n'),
        grantTypes: [...WEB.grantTypes],
        scopes: WEB.scopes.join(' '),
      });
      expect(renamed.statusCode).toBe(303);
      expect((await browser.post(`/console/clients/${DESKTOP.clientId}/remove`)).statusCode).toBe(303);
      // the storage triggers forgot the digest, so the next start applies the seed again
      expect(first.context.repos.meta.get('seed_digest')).toBeUndefined();
    } finally {
      await first.close();
    }

    const second = await start(path);
    try {
      const { clients } = second.context.repos;
      expect(clients.find('added-in-console')?.name).toBe('Added in the console');
      expect(clients.find(WEB.clientId)?.name).toBe(WEB.name);
      expect(clients.find(DESKTOP.clientId)?.name).toBe(DESKTOP.name);
      expect(second.context.repos.meta.get('seed_digest')).toBeDefined();
    } finally {
      await second.close();
    }
  });
});
