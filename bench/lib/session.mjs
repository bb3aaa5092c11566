// Runs the declared workloads against one server process: prepare → probe (is it available?) →
// warm-up → measured rounds (median by req/s) → peak RSS. One process per server, stopped after.
import { describeAnswer, parseError } from './answers.mjs';
import { load, probe } from './load.mjs';
import { memoryOf, stop } from './processes.mjs';
import { SERVERS, startServer } from './servers.mjs';
import { WORKLOADS } from './workloads.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Whether a probed workload can be measured: undefined, or {na} / {failed} with a reason. */
function judge(responses, workload, server, requests) {
  const index = responses.findIndex((r) => !workload.expected.includes(r.status));
  if (index >= 0) {
    const { status, body } = responses[index];
    const { method, path } = requests[index % requests.length];
    const where = `${method} ${path.split('?')[0]}`;
    const { error } = parseError(body);
    if (status === 404 || status === 405) return { na: `${where} answers ${status} (not on this build)` };
    if (status === 400 && error === 'unsupported_grant_type') return { na: `${where} answers 400 unsupported_grant_type (grant not on this build)` };
    return { failed: `probe: ${where} answered ${describeAnswer(status, body)}` };
  }
  if (responses.length < requests.length) return { failed: `probe: ${responses.length} of ${requests.length} responses` };
  if (server.requireHeader && !responses.every((r) => r.headers[server.requireHeader] !== undefined)) {
    return { na: `no ${server.requireHeader} header in the answers (rate limiting not on this build)` };
  }
  const problem = workload.check?.(responses);
  return problem ? { failed: `probe: ${problem}` } : undefined;
}

export async function runWorkload(session, workload, plan, log) {
  const row = { workload: workload.id, title: workload.title, server: session.id, label: session.server.label, notes: [], requestsPerOp: workload.requestsPerOp ?? 1 };
  try {
    const note = await workload.prepare?.(session, plan);
    if (note) row.notes.push(note);
    const probed = await probe({ port: session.port, requests: workload.requests(session) });
    const verdict = judge(probed, workload, session.server, workload.requests(session));
    if (verdict?.na) return { ...row, status: 'n/a', reason: verdict.na };
    if (verdict?.failed) return { ...row, status: 'failed', reason: verdict.failed };
    const run = (duration) =>
      load({
        port: session.port,
        requests: workload.requests(session),
        expected: workload.expected,
        connections: plan.connections,
        duration,
        maxOverallRequests: workload.maxRequests?.(session, plan),
        serverPid: session.pid,
      });
    if (plan.warmup > 0) await run(plan.warmup);
    const runs = [];
    for (let i = 0; i < plan.rounds; i += 1) {
      runs.push(await run(plan.duration));
      log(`    round ${i + 1}: ${Math.round(runs[i].rps)} req/s, p50 ${runs[i].p50} ms, p99 ${runs[i].p99} ms, errors ${runs[i].errors}`);
    }
    const chosen = runs.find((r) => r.rps === median(runs.map((x) => x.rps)));
    if (runs.some((r) => r.seconds < plan.duration * 0.95)) row.notes.push('a round ended early: the pre-minted tokens ran out (raise BENCH_MAX_REFRESH_TOKENS)');
    if (chosen.clientCpu > 0.85) row.notes.push(`the load generator used ${Math.round(chosen.clientCpu * 100)} % of a core: this figure is bounded by autocannon as much as by the server`);
    if (plan.rounds > 1) row.notes.push(`rounds: ${runs.map((r) => Math.round(r.rps)).join(', ')} req/s`);
    session.rates[workload.id] = chosen.rps;
    const errors = runs.reduce((n, r) => n + r.errors, 0);
    const problems = runs.flatMap((r) => r.problems);
    return { ...row, ...chosen, errors, problems, status: errors ? 'errors' : 'ok', peakMb: memoryOf(session.pid).peakMb };
  } catch (e) {
    return { ...row, status: 'failed', reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

/** Starts `serverId`, runs each workload declared for it (in declaration order), stops it. */
export async function runServer(serverId, bench, plan, log) {
  const workloads = WORKLOADS.filter((w) => w.on.includes(serverId) && plan.workloads(w.id));
  if (!workloads.length) return { rows: [] };
  log(`▶ ${SERVERS[serverId].label}`);
  let session;
  try {
    session = await startServer(serverId, bench);
  } catch (e) {
    const reason = `did not start: ${e.message.split('\n').slice(0, 4).join(' | ')}`;
    return { rows: workloads.map((w) => ({ workload: w.id, title: w.title, server: serverId, label: SERVERS[serverId].label, status: 'failed', reason, notes: [] })) };
  }
  const rows = [];
  try {
    for (const workload of workloads) {
      log(`  ${workload.title}`);
      const row = await runWorkload(session, workload, plan, log);
      if (row.reason) log(`    ${row.status}: ${row.reason}`);
      rows.push(row);
    }
    return { rows, memory: memoryOf(session.pid), output: session.child.output.slice(0, 10) };
  } finally {
    await stop(session.child);
  }
}
