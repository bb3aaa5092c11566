// The one table (stdout and bench/results.md): every figure, its ratio to each reference, the
// start/memory/login figures, the targets of the issue with met / NOT met, and notes.
const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const pct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : '–');
/** µs of CPU per request, from a CPU share (1 = one core busy) and a request rate. */
const perRequest = (cpu, rps) => (Number.isFinite(cpu) && rps > 0 ? (cpu * 1e6) / rps : Number.NaN);
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

/** The reference figures the ratios are taken against (undefined when not measured cleanly). */
export function references(rows, jose) {
  const ok = (w, s) => rows.find((r) => r.workload === w && r.server === s && r.status === 'ok')?.rps;
  return [
    { key: 'oidc', head: '× oidc-provider cc', value: ok('cc', 'oidc-provider') },
    { key: 'mock', head: '× mock-server cc', value: ok('cc', 'mock-server') },
    { key: 'sign', head: '× RS256 ceiling', value: jose?.perSecond },
    { key: 'fastify', head: '× Fastify ceiling', value: ok('hello', 'fastify') },
  ];
}

function throughputTable(rows, refs, jose) {
  const head = ['workload', 'server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU', 'server µs/req', 'client CPU', 'peak RSS MB', ...refs.map((r) => r.head)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    if (r.status === 'n/a' || r.status === 'failed') {
      const what = r.status === 'n/a' ? `not available: ${r.reason}` : `FAILED: ${r.reason}`;
      lines.push(`| ${r.title} | ${r.label} | ${what} |${' – |'.repeat(head.length - 3)}`);
      continue;
    }
    const rps = `${f0(r.rps)}${r.requestsPerOp > 1 ? ` (${f0(r.rps / r.requestsPerOp)} flows/s)` : ''}`;
    const errors = r.errors ? `**${r.errors} ⚠** ${r.problems.join(', ')}` : '0';
    const cells = [r.title, r.label, rps, f1(r.p50), f1(r.p99), errors, pct(r.serverCpu), f0(perRequest(r.serverCpu, r.rps)), pct(r.clientCpu), f0(r.peakMb), ...refs.map((ref) => (r.errors ? 'n/a (errors)' : ratio(r.rps, ref.value)))];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (jose) {
    const cells = [`RS256 signing, RSA-2048 (${jose.concurrency} in flight)`, 'jose 6, one process', `${f0(jose.perSecond)} signatures/s`, '–', '–', '0', pct((jose.cpuMicros * jose.perSecond) / 1e6), f0(jose.cpuMicros), '–', '–', ...refs.map((ref) => ratio(jose.perSecond, ref.value))];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function startTable(coldStart, memories, login) {
  const lines = ['| measure | figure |', '|---|---|'];
  for (const c of coldStart ?? []) lines.push(`| cold start, ${c.label} | median **${f0(c.median)} ms** (${c.times.map(f0).join(', ')}) |`);
  for (const [label, m] of memories) lines.push(`| peak RSS after its load (VmHWM), ${label} | **${f0(m.peakMb)} MB** (RSS ${f0(m.startMb)} MB once started, ${f0(m.rssMb)} MB at the end) |`);
  if (login) {
    const d = login.direct;
    lines.push(`| argon2id verify alone (${d.params}) | p50 **${f1(d.p50)} ms**, p90 ${f1(d.p90)} ms (${d.runs} runs) |`);
    const h = login.http;
    lines.push(h.error ? `| HTTP login POST | FAILED: ${h.error} |` : `| HTTP login POST /interaction/:id/login (one at a time) | p50 **${f1(h.p50)} ms**, p90 ${f1(h.p90)} ms (${h.runs} runs) |`);
  }
  return lines.join('\n');
}

/** The issue's targets, each with its measured figure and a verdict. */
function targets(rows, refs, jose, coldStart, memories, login) {
  const row = (w, s) => rows.find((r) => r.workload === w && r.server === s);
  const refOf = (key) => refs.find((r) => r.key === key).value;
  const fig = (r) => (!r ? { missing: 'not run' } : r.status === 'ok' ? { value: r.rps } : { missing: r.status === 'errors' ? 'run had errors' : `${r.status}: ${r.reason}` });
  const verdict = (measured, goal, ok) => (measured.missing ? `not measured (${measured.missing})` : ok ? 'met' : '**NOT met**');
  const list = [];
  const cc = fig(row('cc', 'emulator'));
  const oidc = refOf('oidc');
  const rel = (m, base) => (m.missing ? m : base ? { value: m.value / base } : { missing: 'reference not measured' });
  const ccOidc = rel(cc, oidc);
  list.push(['client credentials ≥ 1.5× oidc-provider client credentials', ccOidc.missing ? '–' : `${ccOidc.value.toFixed(2)}×`, verdict(ccOidc, 1.5, ccOidc.value >= 1.5)]);
  const ccSign = rel(cc, jose?.perSecond);
  list.push(['client credentials ≥ 80 % of the RS256 signing ceiling', ccSign.missing ? '–' : pct(ccSign.value), verdict(ccSign, 0.8, ccSign.value >= 0.8)]);
  const refresh = rel(fig(row('refresh', 'emulator')), oidc);
  list.push(['refresh (single-use rotation, WAL, synchronous=NORMAL) ≥ 1.05× oidc-provider client credentials', refresh.missing ? '–' : `${refresh.value.toFixed(2)}×`, verdict(refresh, 1.05, refresh.value >= 1.05)]);
  const me = fig(row('me', 'emulator'));
  list.push(['GET /me ≥ 15,000 req/s', me.missing ? '–' : `${f0(me.value)} req/s`, verdict(me, 15000, me.value >= 15000)]);
  for (const c of (coldStart ?? []).filter((x) => x.label.startsWith('askara'))) {
    list.push([`cold start ≤ 300 ms median (${c.label.replace('askara-emulator, ', '')})`, `${f0(c.median)} ms`, verdict({ value: c.median }, 300, c.median <= 300)]);
  }
  if (!coldStart) list.push(['cold start ≤ 300 ms median', '–', 'not measured (part skipped)']);
  const mem = memories.find(([label]) => label === 'askara-emulator')?.[1];
  list.push(['peak RSS after the load ≤ 120 MB', mem ? `${f0(mem.peakMb)} MB` : '–', mem ? verdict({ value: mem.peakMb }, 120, mem.peakMb <= 120) : 'not measured']);
  const http = login?.http;
  const loginFig = !login ? { missing: 'part skipped' } : http.error ? { missing: http.error } : { value: http.p50 };
  list.push(['login (HTTP POST, one argon2id verify) p50 ≤ 40 ms', loginFig.missing ? '–' : `${f1(loginFig.value)} ms`, verdict(loginFig, 40, loginFig.value <= 40)]);
  return ['| target | measured | verdict |', '|---|---|---|', ...list.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}

/**
 * The CPU arithmetic behind the two client credentials targets, from this run's own figures: what
 * two fully busy cores would give at the measured CPU per request, against what the targets need.
 */
function ccBudget(rows, refs, jose, cores) {
  const cc = rows.find((r) => r.workload === 'cc' && r.server === 'emulator' && r.status === 'ok');
  const oidc = refs.find((r) => r.key === 'oidc').value;
  if (!cc || !jose || !oidc) return [];
  const server = perRequest(cc.serverCpu, cc.rps);
  const client = perRequest(cc.clientCpu, cc.rps);
  if (!(server + client > 0)) return [];
  const most = (cores * 1e6) / (server + client);
  return [
    '',
    `What the client credentials targets need: ${f0(1.5 * oidc)} req/s (1.5× oidc-provider) and ${f0(0.8 * jose.perSecond)} req/s (80 % of the ceiling). ` +
      `The emulator spent ${f0(server)} µs of server CPU per request, and the load generator ${f0(client)} µs; ` +
      `one RSA-2048 signature alone costs ${f0(jose.floorMicros)} µs (node:crypto, synchronous, one thread), and jose's loop spent ${f0(jose.cpuMicros)} µs per signature. ` +
      `With the ${cores} cores busy all the time, that per-request cost allows at most ${f0(most)} req/s: ${ratio(most, oidc)} oidc-provider, ${pct(most / jose.perSecond)} of the ceiling.`,
  ];
}

function profileSection(profiles) {
  const out = [
    '## Where the time goes (`node --cpu-prof`, self time)',
    '',
    'Self time of the main thread, idle excluded; work on libuv\'s thread pool (WebCrypto signing, argon2, key generation) is not in these profiles.',
    '',
  ];
  for (const p of profiles) {
    if (p.skipped) {
      out.push(`### ${p.title}: not profiled (${p.skipped})`, '');
      continue;
    }
    const rate = p.rps === undefined ? '' : `${f0(p.rps)} req/s under the profiler; `;
    out.push(`### ${p.title} (${rate}${f0(p.busyMs)} ms of main-thread CPU; ${p.file})`, '', '| area | self ms | share |', '|---|---|---|');
    for (const a of p.areas.slice(0, 10)) out.push(`| ${a.name} | ${f0(a.ms)} | ${pct(a.share)} |`);
    out.push('', '| function | self ms | share |', '|---|---|---|');
    for (const fn of p.functions) out.push(`| \`${fn.name}\` | ${f0(fn.ms)} | ${pct(fn.share)} |`);
    out.push('');
  }
  return out.join('\n');
}

export function renderReport({ machine, plan, rows, jose, coldStart, memories, login, profiles, notes }) {
  const refs = references(rows, jose);
  const rlRow = rows.find((r) => r.workload === 'cc' && r.server === 'emulator-rl' && r.status === 'ok');
  const offRow = rows.find((r) => r.workload === 'cc' && r.server === 'emulator' && r.status === 'ok');
  const bucket = rlRow && offRow ? [`Rate-limit bucket cost on client credentials: ${ratio(rlRow.rps, offRow.rps)} of the RATE_LIMIT=off figure.`] : [];
  return [
    '# askara-emulator benchmark (`npm run bench`)',
    '',
    `${machine.date} · ${machine.cpu} × ${machine.cores} cores · ${machine.memGb} GB RAM · ${machine.os} · Node ${machine.node}`,
    `Load average before / after: ${machine.loadBefore} / ${machine.loadAfter}. autocannon ${plan.autocannon}, ${plan.connections} connections, ${plan.duration} s per run after a ${plan.warmup} s warm-up, ${plan.rounds} round(s) per workload, interleaved across servers (median reported), loopback only; the load generator runs in the bench process (one thread) on the same 2 cores.`,
    '',
    '## Throughput and latency',
    '',
    throughputTable(rows, refs, jose),
    '',
    'Ratios are req/s of the row divided by the reference (signatures/s for the RS256 ceiling). "server CPU" is the server process\'s CPU time over the run (200 % = both cores), and "server µs/req" the same per request (per signature for the signing loop); "client CPU" is the load generator\'s. A row with errors is flagged and gets no ratio. autocannon reports latencies in whole milliseconds.',
    ...bucket.map((b) => `\n${b}`),
    '',
    '## Start, memory, login',
    '',
    startTable(coldStart, memories, login),
    '',
    '## Targets (issue "Benchmark and speed targets")',
    '',
    targets(rows, refs, jose, coldStart, memories, login),
    ...ccBudget(rows, refs, jose, machine.cores),
    '',
    ...(profiles?.length ? [profileSection(profiles), ''] : []),
    '## Notes',
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}
