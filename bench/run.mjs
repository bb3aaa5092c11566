#!/usr/bin/env node
// `npm run bench` (SPEC §11): builds the emulator, measures it and the reference points on
// loopback in one run, and prints one table (also written to bench/results.md). Settings:
// BENCH_DURATION (s, 10), BENCH_CONNECTIONS (50), BENCH_WARMUP (s, 2), BENCH_ROUNDS (3),
// BENCH_PARTS (emulator,ratelimit,peers,jose,coldstart,login), BENCH_WORKLOADS (all),
// BENCH_PROFILE=1 (profile cc, /me, refresh and a cold start; BENCH_PROFILE_WORKLOADS), BENCH_COLD_RUNS (5), BENCH_LOGIN_RUNS (15),
// BENCH_MAX_REFRESH_TOKENS (250000), BENCH_SIGN_CONCURRENCY (16), BENCH_SKIP_BUILD=1. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { BENCH_DIR, ROOT, SERVER_NODE_ARGS } from './lib/constants.mjs';
import { measureColdStart } from './lib/coldstart.mjs';
import { measureLogin } from './lib/login.mjs';
import { killAll } from './lib/processes.mjs';
import { profileWorkloads } from './lib/profile.mjs';
import { renderReport } from './lib/report.mjs';
import { measureThroughput } from './lib/throughput.mjs';

const log = (line) => process.stderr.write(`${line}\n`);

function setting(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

const list = (name, all, defaults = all) => {
  const raw = process.env[name];
  if (raw === 'none') return new Set();
  const chosen = raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : defaults;
  for (const c of chosen) if (!all.includes(c)) throw new Error(`${name}: unknown "${c}"; choose from ${all.join(', ')}`);
  return new Set(chosen);
};

const PARTS = ['emulator', 'ratelimit', 'peers', 'jose', 'coldstart', 'login'];
const WORKLOAD_IDS = ['hello', 'code-flow', 'cc', 'me', 'introspect', 'refresh'];

const tmp = mkdtempSync(join(tmpdir(), 'askara-bench-'));
process.on('exit', () => {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

async function main() {
  const parts = list('BENCH_PARTS', PARTS);
  const workloadIds = list('BENCH_WORKLOADS', WORKLOAD_IDS);
  const plan = {
    duration: setting('BENCH_DURATION', 10, 1, 600),
    connections: setting('BENCH_CONNECTIONS', 50, 1, 1000),
    warmup: setting('BENCH_WARMUP', 2, 0, 60),
    rounds: setting('BENCH_ROUNDS', 3, 1, 9),
    signConcurrency: setting('BENCH_SIGN_CONCURRENCY', 16, 1, 256),
    maxRefreshTokens: setting('BENCH_MAX_REFRESH_TOKENS', 250_000, 100, 500_000),
    fallbackRps: 3000,
    workloads: (id) => workloadIds.has(id),
    autocannon: JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version,
  };
  const coldRuns = setting('BENCH_COLD_RUNS', 5, 1, 50);
  const loginRuns = setting('BENCH_LOGIN_RUNS', 15, 1, 200);
  const profile = process.env.BENCH_PROFILE === '1';
  const profileIds = list('BENCH_PROFILE_WORKLOADS', WORKLOAD_IDS.filter((id) => id !== 'hello'), ['cc', 'me', 'refresh']);

  const machine = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memGb: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    node: process.version,
    loadBefore: loadavg().map((x) => x.toFixed(2)).join(' '),
  };

  if (process.env.BENCH_SKIP_BUILD !== '1') {
    log('▶ building (npm run build: tsc -b, then the esbuild bundle dist/askara-emulator.mjs)');
    const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the build failed');
  }

  // one RSA-2048 key for every peer and the signing loop (the emulator generates its own, also 2048)
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const keyFile = join(tmp, 'bench-key.json');
  writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' }));
  const bench = { tmp, keyFile };

  const servers = [
    ...(parts.has('emulator') ? ['emulator'] : []),
    ...(parts.has('ratelimit') ? ['emulator-rl'] : []),
    ...(parts.has('peers') ? ['oidc-provider', 'oidc-provider-refresh', 'mock-server', 'fastify'] : []),
  ];
  const nothing = { rows: [], memories: [], warnings: [] };
  const { rows, jose, memories, warnings } = servers.length || parts.has('jose') ? await measureThroughput(servers, parts.has('jose'), bench, plan, log) : nothing;
  const notes = [];
  for (const r of rows) for (const n of r.notes ?? []) notes.push(`${r.label}, ${r.title}: ${n}.`);
  if (jose?.rounds.length > 1) notes.push(`RS256 signing rounds: ${jose.rounds.map(Math.round).join(', ')} signatures/s.`);
  notes.push(...warnings);

  const coldStart = parts.has('coldstart') ? await measureColdStart(bench, coldRuns, log) : undefined;
  const login = parts.has('login') ? await measureLogin(bench, loginRuns, log) : undefined;
  const emulatorRates = Object.fromEntries(rows.filter((r) => r.server === 'emulator' && r.status === 'ok').map((r) => [r.workload, r.rps]));
  const profiles = profile ? await profileWorkloads(bench, plan, [...profileIds], emulatorRates, log) : undefined;

  machine.loadAfter = loadavg().map((x) => x.toFixed(2)).join(' ');
  notes.push(
    `Every server ran as its own \`node\` process on 127.0.0.1 with NODE_ENV=production, all started before the load and idle outside their own runs; the rounds of every (server, workload) pair and of the signing loop were interleaved, so drifting background load hits all alike. The emulator from \`dist/askara-emulator.mjs\` (the production build: tsc, then esbuild: a small entry and the chunks it imports), started as the container starts it (\`node ${SERVER_NODE_ARGS.join(' ')} dist/askara-emulator.mjs\`), with a file database in a fresh temp directory, \`RATE_LIMIT=off\`, \`INTERACTIVE_LOGIN=false\`, \`LOG_LEVEL=warn\`.`,
    'Peers: oidc-provider with one client, RS256 JWT access tokens and an in-memory store (no durability, unlike the emulator\'s SQLite file), its refresh workload on a second process that holds the pre-minted tokens; oauth2-mock-server authenticates no client and stores nothing. Same RSA-2048 key, connections and duration for all. See bench/README.md.',
    'The emulator\'s token workloads authenticate the client with HTTP Basic (an HMAC check); oidc-provider too (a constant-time compare); oauth2-mock-server checks nothing.',
  );
  const report = renderReport({ machine, plan, rows, jose, coldStart, memories, login, profiles, notes });
  process.stdout.write(`\n${report}`);
  writeFileSync(join(BENCH_DIR, 'results.md'), report);
  log(`\nwritten to bench/results.md`);
  const flagged = rows.filter((r) => r.status === 'errors' || r.status === 'failed');
  if (flagged.length) {
    log(`${flagged.length} workload(s) had errors or failed: ${flagged.map((r) => `${r.title} on ${r.label}`).join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  log(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
