// The throughput part: start every server (each its own process, idle until its turn), prepare
// and warm up every (server, workload) pair, then measure them round by round, interleaved, with
// the RS256 signing loop once per round too. Medians per pair; every process stopped at the end.
import { join } from 'node:path';
import { BENCH_DIR, ROOT } from './constants.mjs';
import { memoryOf, spawnNode, stop } from './processes.mjs';
import { SERVERS, startServer } from './servers.mjs';
import { finish, measure, prepare } from './session.mjs';
import { WORKLOADS } from './workloads.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** One run of the signing loop in its own process: {signatures, seconds, perSecond, concurrency}. */
async function signingRun(bench, plan, warmup) {
  const child = spawnNode(join(BENCH_DIR, 'peers/jose-sign.mjs'), {
    cwd: ROOT,
    env: { BENCH_KEY_FILE: bench.keyFile, BENCH_DURATION: String(plan.duration), BENCH_WARMUP: String(warmup), BENCH_SIGN_CONCURRENCY: String(plan.signConcurrency) },
  });
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`the signing loop failed:\n${child.output.join('\n')}`);
  return JSON.parse(child.output.at(-1));
}

const failedRows = (id, workloads, reason) =>
  workloads.map((w) => ({ workload: w.id, title: w.title, server: id, label: SERVERS[id].label, status: 'failed', reason, notes: [] }));

/** Returns {rows, jose, memories, warnings}. */
export async function measureThroughput(serverIds, withSigning, bench, plan, log) {
  const rows = [];
  const sessions = [];
  const warnings = [];
  try {
    log('▶ starting the servers');
    for (const id of serverIds) {
      const workloads = WORKLOADS.filter((w) => w.on.includes(id) && plan.workloads(w.id));
      if (!workloads.length) continue;
      try {
        const session = await startServer(id, bench);
        session.startMemory = memoryOf(session.pid);
        sessions.push({ session, workloads });
      } catch (e) {
        rows.push(...failedRows(id, workloads, `did not start: ${e.message.split('\n').slice(0, 3).join(' | ')}`));
      }
    }
    log('▶ preparing and warming up each workload');
    const pairs = [];
    for (const { session, workloads } of sessions) {
      for (const workload of workloads) {
        const row = await prepare(session, workload, plan, log);
        rows.push(row);
        if (row.status === 'ready') pairs.push({ session, workload, row });
      }
    }
    const signing = [];
    for (let round = 0; round < plan.rounds; round += 1) {
      log(`▶ round ${round + 1} of ${plan.rounds}`);
      for (const { session, workload, row } of pairs) if (row.status === 'ready') await measure(session, workload, row, plan, log);
      if (withSigning) {
        signing.push(await signingRun(bench, plan, round === 0 ? plan.warmup : 1));
        log(`  jose RS256 signing: ${Math.round(signing.at(-1).perSecond)} signatures/s`);
      }
    }
    for (const { session, workload, row } of pairs) finish(row, session, workload, plan);
    const memories = [];
    for (const { session } of sessions) {
      if (rows.some((r) => r.server === session.id && (r.status === 'ok' || r.status === 'errors'))) memories.push([session.server.label, { ...memoryOf(session.pid), startMb: session.startMemory.rssMb }]);
      for (const line of session.child.output.filter((l) => /warn/i.test(l)).slice(0, 3)) warnings.push(`${session.server.label} printed: "${line.trim()}"`);
    }
    const jose = signing.length ? { ...signing.find((s) => s.perSecond === median(signing.map((x) => x.perSecond))), rounds: signing.map((s) => s.perSecond) } : undefined;
    const order = (r) => WORKLOADS.findIndex((w) => w.id === r.workload) * 100 + serverIds.indexOf(r.server);
    return { rows: rows.sort((a, b) => order(a) - order(b)), jose, memories, warnings };
  } finally {
    await Promise.all(sessions.map(({ session }) => stop(session.child)));
  }
}
