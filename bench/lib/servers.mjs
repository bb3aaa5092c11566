// Every server the bench measures, declared once: how to start it, when it is ready, where its
// token endpoint is, and (for the refresh workload) how it gets pre-minted refresh tokens.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_ID, CLIENT_SECRET, ROOT, SEED_PATH, SERVER_NODE_ARGS } from './constants.mjs';
import { mintEmulatorRefreshTokens } from './mint.mjs';
import { freePort, spawnNode, waitReady } from './processes.mjs';

/** The emulator as `npm run bench` runs it: compiled entry, file database in a fresh temp dir. */
export function emulatorEnv(tmp, extra = {}) {
  return {
    NODE_ENV: 'production',
    DATABASE_PATH: join(mkdtempSync(join(tmp, 'emulator-')), 'askara.sqlite'),
    ASKARA_SEED: SEED_PATH,
    LOG_LEVEL: 'warn',
    RATE_LIMIT: 'off',
    INTERACTIVE_LOGIN: 'false',
    ...extra,
  };
}

const peerEnv = (bench) => ({
  NODE_ENV: 'production',
  BENCH_KEY_FILE: bench.keyFile,
  BENCH_CLIENT_ID: CLIENT_ID,
  BENCH_CLIENT_SECRET: CLIENT_SECRET,
});

async function fetchJson(port, path, init) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

/** oidc-provider, as `peers/oidc-provider.mjs` configures it. */
const oidcProvider = {
  label: 'oidc-provider 9',
  script: 'bench/peers/oidc-provider.mjs',
  env: peerEnv,
  ready: '/.well-known/openid-configuration',
  tokenPath: '/token',
  mintRefreshTokens: async (session, n) => {
    const t0 = performance.now();
    const tokens = await fetchJson(session.port, `/__bench/refresh-tokens?n=${n}`, { method: 'POST' });
    return { tokens, via: 'its own models (Grant + RefreshToken)', seconds: (performance.now() - t0) / 1000 };
  },
};

export const SERVERS = {
  emulator: {
    label: 'askara-emulator',
    script: 'dist/askara-emulator.mjs',
    nodeArgs: SERVER_NODE_ARGS,
    env: (bench) => emulatorEnv(bench.tmp),
    ready: '/healthz',
    tokenPath: '/oauth2/token',
    mintRefreshTokens: (session, n) => mintEmulatorRefreshTokens(session, n),
  },
  'emulator-rl': {
    label: 'askara-emulator, RATE_LIMIT=100000000/500/900',
    script: 'dist/askara-emulator.mjs',
    nodeArgs: SERVER_NODE_ARGS,
    // Askara's bucket shape (refill 500 every 900 s) with a capacity the run cannot empty: the
    // bookkeeping is measured, not 429s (with capacity 5000 the bucket is empty after 5000 requests)
    env: (bench) => emulatorEnv(bench.tmp, { RATE_LIMIT: '100000000/500/900' }),
    ready: '/healthz',
    tokenPath: '/oauth2/token',
    requireHeader: 'x-ratelimit-limit',
  },
  'oidc-provider': oidcProvider,
  // its refresh workload in a process of its own: the in-memory store holds every pre-minted token
  // (118,000 in a full run, about 400 MB of heap a real deployment keeps in Redis or a database),
  // whose garbage collection slowed the client credentials rounds by 5-10 % (bench/README.md)
  'oidc-provider-refresh': { ...oidcProvider, label: 'oidc-provider 9 (a second process, for refresh)' },
  'mock-server': {
    label: 'oauth2-mock-server 8',
    script: 'bench/peers/mock-server.mjs',
    env: peerEnv,
    ready: '/.well-known/openid-configuration',
    tokenPath: '/token',
  },
  fastify: {
    label: 'Fastify 5 hello world',
    script: 'bench/peers/fastify-hello.mjs',
    env: peerEnv,
    ready: '/',
    tokenPath: undefined,
  },
};

/** Starts a declared server on a free loopback port; resolves a session once it answers 200. */
export async function startServer(id, bench, { nodeArgs = [], env = {} } = {}) {
  const server = SERVERS[id];
  const port = await freePort();
  const child = spawnNode(server.script, { cwd: ROOT, nodeArgs: [...(server.nodeArgs ?? []), ...nodeArgs], env: { ...server.env(bench), ...env, PORT: String(port) } });
  await waitReady(child, port, server.ready, { intervalMs: 10 });
  return { id, server, port, child, pid: child.pid, rates: {}, bench };
}
