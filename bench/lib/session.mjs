// One (server, workload) pair: prepare (tokens) → probe (is it available?) → warm-up, then one
// measured run per round, then the median (by req/s) of the rounds. The rounds of every pair are
// interleaved by run.mjs, so a change in the machine's background load hits every server alike.
import { describeAnswer, parseError } from './answers.mjs';
import { load, probe } from './load.mjs';
import { memoryOf } from './processes.mjs';

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

function loadOnce(session, workload, plan, duration) {
  return load({
    port: session.port,
    requests: workload.requests(session),
    expected: workload.expected,
    connections: plan.connections,
    duration,
    maxOverallRequests: workload.maxRequests?.(session, plan),
    serverPid: session.pid,
  });
}

/**
 * The best rate seen so far per workload on a server, warm-ups included (`rates`) and measured
 * runs only (`measured`); they size the pre-minted token pools.
 */
function noteRate(session, workload, rps, measured = false) {
  session.rates[workload.id] = Math.max(session.rates[workload.id] ?? 0, rps);
  session.measured ??= {};
  if (measured) session.measured[workload.id] = Math.max(session.measured[workload.id] ?? 0, rps);
}

const firstLine = (e) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

/** Prepares a pair and warms it up; the row's status is 'ready', 'n/a' or 'failed'. */
export async function prepare(session, workload, plan, log) {
  const row = { workload: workload.id, title: workload.title, server: session.id, label: session.server.label, notes: [], runs: [], requestsPerOp: workload.requestsPerOp ?? 1 };
  log(`  ${session.server.label}: ${workload.title}`);
  try {
    const note = await workload.prepare?.(session, plan);
    if (note) row.notes.push(note);
    const probed = await probe({ port: session.port, requests: workload.requests(session) });
    const verdict = judge(probed, workload, session.server, workload.requests(session));
    if (verdict) {
      const reason = verdict.na ?? verdict.failed;
      log(`    ${verdict.na ? 'not available' : 'FAILED'}: ${reason}`);
      return { ...row, status: verdict.na ? 'n/a' : 'failed', reason };
    }
    if (plan.warmup > 0) noteRate(session, workload, (await loadOnce(session, workload, plan, plan.warmup)).rps);
    return { ...row, status: 'ready' };
  } catch (e) {
    log(`    FAILED: ${firstLine(e)}`);
    return { ...row, status: 'failed', reason: firstLine(e) };
  }
}

/** One measured run of a ready pair, appended to row.runs. */
export async function measure(session, workload, row, plan, log) {
  try {
    await workload.beforeRun?.(session, plan);
    const run = await loadOnce(session, workload, plan, plan.duration);
    noteRate(session, workload, run.rps, true);
    row.runs.push(run);
    log(`  ${session.server.label}, ${workload.title}: ${Math.round(run.rps)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}`);
  } catch (e) {
    row.status = 'failed';
    row.reason = firstLine(e);
  }
}

/** The row's figures: the median round, every error of every round, peak RSS so far. */
export function finish(row, session, workload, plan) {
  if (row.status !== 'ready') return row;
  const { runs } = row;
  const chosen = runs.find((r) => r.rps === median(runs.map((x) => x.rps)));
  if (runs.some((r) => r.seconds < plan.duration * 0.95)) row.notes.push('a round ended early: the pre-minted tokens ran out (raise BENCH_MAX_REFRESH_TOKENS)');
  if (chosen.clientCpu > 0.85) row.notes.push(`the load generator used ${Math.round(chosen.clientCpu * 100)} % of a core: this figure is bounded by autocannon as much as by the server`);
  const summary = workload.summary?.(session);
  if (summary) row.notes.push(summary);
  if (runs.length > 1) row.notes.push(`rounds: ${runs.map((r) => Math.round(r.rps)).join(', ')} req/s`);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const problems = runs.flatMap((r) => r.problems);
  return Object.assign(row, chosen, { errors, problems, status: errors ? 'errors' : 'ok', peakMb: memoryOf(session.pid).peakMb });
}

/** prepare → rounds → finish for one pair on its own (the profiler uses it). */
export async function runWorkload(session, workload, plan, log) {
  const row = await prepare(session, workload, plan, log);
  if (row.status !== 'ready') return row;
  for (let i = 0; i < plan.rounds && row.status === 'ready'; i += 1) await measure(session, workload, row, plan, log);
  return finish(row, session, workload, plan);
}
