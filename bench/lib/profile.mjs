// BENCH_PROFILE=1: runs chosen emulator workloads again under `node --cpu-prof` (one process per
// workload, so each profile holds one workload) and summarises where the CPU time goes: self time
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

/** Profiles each workload of `ids` in its own emulator process, then a cold start. */
export async function profileWorkloads(bench, plan, ids, rates, log) {
  const dir = join(ROOT, 'data', 'bench-profiles');
  mkdirSync(dir, { recursive: true });
  const out = [];
  for (const id of ids) {
    const workload = WORKLOADS.find((w) => w.id === id);
    log(`▶ profile: ${workload.title}`);
    const name = `${id}-${Date.now()}.cpuprofile`;
    const session = await startServer('emulator', bench, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`] });
    // the main run's rates size the pre-minted refresh tokens
    session.rates = { ...rates };
    let row;
    try {
      row = await runWorkload(session, workload, { ...plan, rounds: 1 }, log);
    } finally {
      await stop(session.child);
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
