// Cold start: process start (just before spawn) to the first 200 from /healthz, polled every
// 2 ms, median of N. "New database": a fresh DATABASE_PATH each time (migrations run and the RSA
// key is generated). "Existing database": the same file, created by one unmeasured first start.
import { ROOT } from './constants.mjs';
import { freePort, spawnNode, stop, waitReady } from './processes.mjs';
import { emulatorEnv, SERVERS } from './servers.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function startOnce({ script, nodeArgs }, env, readyPath) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnNode(script, { cwd: ROOT, nodeArgs, env: { ...env, PORT: String(port) } });
  try {
    return await waitReady(child, port, readyPath, { startedAt: t0, intervalMs: 2 });
  } finally {
    await stop(child);
  }
}

async function series(runs, server, envFor, readyPath) {
  const times = [];
  for (let i = 0; i < runs; i += 1) times.push(await startOnce(server, envFor(i), readyPath));
  return { median: median(times), times };
}

/** Cold-start medians of the emulator (new and existing database) and of oidc-provider. */
export async function measureColdStart(bench, runs, log) {
  const out = [];
  log('▶ cold start');
  const entry = SERVERS.emulator;
  out.push({ label: 'askara-emulator, new database', ...(await series(runs, entry, () => emulatorEnv(bench.tmp), '/healthz')) });
  const existing = emulatorEnv(bench.tmp);
  await startOnce(entry, existing, '/healthz');
  out.push({ label: 'askara-emulator, existing database', ...(await series(runs, entry, () => existing, '/healthz')) });
  const op = SERVERS['oidc-provider'];
  out.push({ label: `${op.label} (to ${op.ready})`, ...(await series(runs, op, () => op.env(bench), op.ready)) });
  for (const r of out) log(`  ${r.label}: median ${r.median.toFixed(0)} ms (${r.times.map((t) => t.toFixed(0)).join(', ')})`);
  return out;
}

