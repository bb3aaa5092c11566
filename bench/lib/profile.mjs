// BENCH_PROFILE=1: runs chosen emulator workloads again under `node --cpu-prof` (one process per
// workload, so each profile holds one workload and nothing else: its tokens are made beforehand
// by an unprofiled process on the same database) and summarises where the CPU time goes: self time
// per function and per area (the emulator's own files, each package, Node internals, GC).
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './constants.mjs';
import { stop } from './processes.mjs';
import { emulatorEnv, startServer } from './servers.mjs';
import { runWorkload } from './session.mjs';
import { WORKLOADS } from './workloads.mjs';

/** Where a function lives, for the per-function table: the package and file, or the node: module. */
function place(url) {
  if (url.startsWith('node:')) return url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+\/.*)$/.exec(url);
  if (pkg) return pkg[1];
  return url.includes('/dist/') ? url.slice(url.indexOf('/dist/') + 1) : relative(ROOT, url.replace('file://', ''));
}

function area(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/dist/')) return `emulator ${url.slice(url.indexOf('/dist/') + 1)}`;
  return relative(ROOT, url.replace('file://', ''));
}

/** Self time by function and by area, in ms and % of the non-idle time. */
export function summarise(profile, top = 15) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFunction = new Map();
  const byArea = new Map();
  let busy = 0;
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    if (functionName === '(idle)') continue;
    busy += ms;
    const where = area(url, functionName);
    const key = `${functionName || '(anonymous)'} · ${url ? `${place(url)}:${lineNumber + 1}` : where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const group = where.startsWith('emulator ') ? 'emulator (dist/)' : where;
    byArea.set(group, (byArea.get(group) ?? 0) + ms);
  }
  const rank = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms, share: ms / busy }));
  return { busyMs: busy, functions: rank(byFunction), areas: rank(byArea) };
}

/** A restart on an existing database under the profiler: where the start-up time goes. */
async function profileColdStart(bench, dir, log) {
  log('▶ profile: cold start (existing database)');
  const { DATABASE_PATH } = emulatorEnv(bench.tmp);
  await stop((await startServer('emulator', bench, { env: { DATABASE_PATH } })).child);
  const name = `coldstart-${Date.now()}.cpuprofile`;
  const t0 = performance.now();
  const session = await startServer('emulator', bench, { env: { DATABASE_PATH }, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`] });
  const readyMs = performance.now() - t0;
  await stop(session.child);
  const file = join(dir, name);
  return { id: 'coldstart', title: `cold start, existing database (ready after ${Math.round(readyMs)} ms under the profiler, polled every 10 ms)`, file: relative(ROOT, file), ...summarise(JSON.parse(readFileSync(file, 'utf8'))) };
}

/**
 * The tokens a workload needs (a user pair, pre-minted refresh tokens), made by an unprofiled
 * emulator on `DATABASE_PATH`, so the profiled process on the same database does only the load.
 */
async function prepareTokens(bench, workload, plan, rates, env) {
  const setup = await startServer('emulator', bench, { env });
  setup.rates = { ...rates };
  try {
    await workload.prepare?.(setup, plan);
    // enough for the warm-up and the run (the profiled process then mints nothing, or next to nothing)
    await workload.beforeRun?.(setup, { ...plan, duration: plan.warmup + plan.duration + 1 });
    const { pair, refreshTokens, refreshIndex, minted } = setup;
    return { rates: setup.rates, pair, refreshTokens, refreshIndex, minted };
  } finally {
    await stop(setup.child);
  }
}

/** Profiles each workload of `ids` in its own emulator process, then a cold start. */
export async function profileWorkloads(bench, plan, ids, rates, log) {
  const dir = join(ROOT, 'data', 'bench-profiles');
  mkdirSync(dir, { recursive: true });
  const out = [];
  for (const id of ids) {
    const workload = WORKLOADS.find((w) => w.id === id);
    log(`▶ profile: ${workload.title}`);
    const name = `${id}-${Date.now()}.cpuprofile`;
    // one database and one issuer for both processes, so the tokens of the first hold in the second
    const env = { DATABASE_PATH: emulatorEnv(bench.tmp).DATABASE_PATH, ISSUER: 'http://localhost:8080' };
    let row;
    try {
      const tokens = await prepareTokens(bench, workload, plan, rates, env);
      const session = await startServer('emulator', bench, { env, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`] });
      Object.assign(session, tokens);
      try {
        row = await runWorkload(session, workload, { ...plan, rounds: 1 }, log);
      } finally {
        await stop(session.child);
      }
    } catch (e) {
      row = { status: 'failed', reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    }
    if (row.status !== 'ok') {
      rmSync(join(dir, name), { force: true });
      out.push({ id, title: workload.title, skipped: row.reason ?? `${row.errors} errors` });
      continue;
    }
    if (!readdirSync(dir).includes(name)) throw new Error(`no CPU profile was written to ${dir}/${name}`);
    const file = join(dir, name);
    out.push({ id, title: workload.title, file: relative(ROOT, file), rps: row.rps, ...summarise(JSON.parse(readFileSync(file, 'utf8'))) });
  }
  out.push(await profileColdStart(bench, dir, log));
  return out;
}
