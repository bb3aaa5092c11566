// Who the bench acts as: read from bench/seed.json, so the seed is the one source of truth. The
// peers are configured with the same client id and secret.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(BENCH_DIR, '..');
export const SEED_PATH = join(BENCH_DIR, 'seed.json');

/**
 * The node flags the server is shipped with, read from the Dockerfile's CMD (`npm start` uses the
 * same, test/packaging/docker.test.ts checks it): the bench and the soak start it the same way.
 */
export const SERVER_NODE_ARGS = (() => {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  if (!cmd) throw new Error('the Dockerfile has no CMD ["node", …, "dist/askara-emulator.mjs"]');
  return JSON.parse(cmd[1]).slice(1, -1);
})();

const seed = JSON.parse(readFileSync(SEED_PATH, 'utf8'));
const [client] = seed.clients;
const [user] = seed.users;

export const CLIENT_ID = client.clientId;
export const CLIENT_SECRET = client.clientSecret;
export const REDIRECT_URI = client.redirectUris[0];
export const USER_EMAIL = user.email;
export const USER_PASSWORD = user.password;
export const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

// a fixed PKCE pair (S256, RFC 7636 §4.2): every flow sends the same verifier, each gets its own code
export const CODE_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const CODE_CHALLENGE = createHash('sha256').update(CODE_VERIFIER).digest('base64url');
