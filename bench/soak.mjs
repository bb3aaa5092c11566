#!/usr/bin/env node
// `npm run soak`: a longer mixed load against the built server on a file database, then checks
// that it held up. Not part of `npm test`. Loopback only; every loop is bounded by the deadline.
//
//   SOAK_DURATION=60          seconds of load (default 60)
//   SOAK_WORKERS=8            concurrent clients (default 8)
//   SOAK_MAX_RSS_GROWTH_MB=64 allowed RSS growth from the end of the warm-up to the end (default 64)
//   SOAK_SKIP_BUILD=1         use dist/ as it is
//
// Each worker repeats a weighted mix: the authorization code flow (PKCE, INTERACTIVE_LOGIN=false),
// refresh rotations of the live chains, GET /me, introspection, client credentials, the password
// grant, the device flow (approved through the control API), minted tokens, and revocation of a
// chain (whose access token must then be refused). Afterwards: no 5xx and no unexpected status,
// bounded RSS growth, every live token pair valid (GET /me 200, its refresh token rotates once),
// a clean SIGTERM, and `PRAGMA integrity_check` = ok on the file.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, ROOT, SERVER_NODE_ARGS } from './lib/constants.mjs';
import { freePort, killAll, memoryOf, spawnNode, stop, waitReady } from './lib/processes.mjs';

const DURATION_S = Number(process.env.SOAK_DURATION ?? 60);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 8);
const MAX_RSS_GROWTH_MB = Number(process.env.SOAK_MAX_RSS_GROWTH_MB ?? 64);
const MAX_LIVE_CHAINS = 300; // beyond this, the oldest chain is revoked
const SEED_PATH = join(BENCH_DIR, 'soak-seed.json');
const seed = JSON.parse(readFileSync(SEED_PATH, 'utf8'));
const [USER] = seed.users;
const [WEB, DEVICE] = seed.clients;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

if (!(DURATION_S > 0 && DURATION_S <= 24 * 3600) || !(WORKERS >= 1 && WORKERS <= 256)) {
  console.error('soak: SOAK_DURATION must be 1..86400 seconds and SOAK_WORKERS 1..256');
  process.exit(2);
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

if (process.env.SOAK_SKIP_BUILD !== '1') {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const tmp = mkdtempSync(join(tmpdir(), 'askara-soak-'));
const databasePath = join(tmp, 'askara.sqlite');
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawnNode(join(ROOT, 'dist', 'askara-emulator.mjs'), {
  cwd: ROOT,
  nodeArgs: SERVER_NODE_ARGS,
  env: {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: base,
    DATABASE_PATH: databasePath,
    ASKARA_SEED: SEED_PATH,
    RATE_LIMIT: 'off',
    INTERACTIVE_LOGIN: 'false',
    DEVICE_POLL_INTERVAL: '0',
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: '',
  },
});
await waitReady(server, port, '/healthz');

// ---------------------------------------------------------------- bookkeeping

const counts = {}; // op -> { ok, total }
const problems = []; // the first few unexpected answers
let fiveXx = 0;
let unexpected = 0;
const note = (op, ok) => {
  counts[op] ??= { ok: 0, total: 0 };
  counts[op].total += 1;
  if (ok) counts[op].ok += 1;
};

/** One request; `expect` is the status that counts as success for `op`. */
async function call(op, path, { method = 'POST', form, json, headers = {}, expect = 200 } = {}) {
  const init = { method, headers: { ...headers }, redirect: 'manual', signal: AbortSignal.timeout(15_000) };
  if (form) {
    init.headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(form).toString();
  } else if (json) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  if (res.status >= 500) fiveXx += 1;
  const ok = res.status === expect;
  note(op, ok);
  if (!ok) {
    unexpected += 1;
    if (problems.length < 10) problems.push(`${op}: ${method} ${path} answered ${res.status} (expected ${expect}) ${text.slice(0, 300)}`);
  }
  let body = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // a page or an empty body
  }
  return { ok, status: res.status, body, headers: res.headers };
}

const webAuth = { client_id: WEB.clientId, client_secret: WEB.clientSecret };
/** Live token pairs: each the last pair its chain received. */
const chains = [];
const revoked = [];

function addChain(pair, client) {
  if (pair?.refresh_token) chains.push({ pair, client });
  while (chains.length > MAX_LIVE_CHAINS) chains.shift(); // forgotten, still valid: never checked again
}
const pick = () => (chains.length ? chains.splice(Math.floor(Math.random() * chains.length), 1)[0] : undefined);
const clientAuth = (client) => (client === 'web' ? webAuth : { client_id: DEVICE.clientId });

// ---------------------------------------------------------------- the mix

async function codeFlow() {
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: WEB.clientId,
    redirect_uri: WEB.redirectUris[0],
    scope: 'profile organization',
    state: randomBytes(6).toString('hex'),
    login_hint: USER.email,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const authorize = await call('authorize', `/authorize?${q}`, { method: 'GET', expect: 302 });
  const code = new URL(authorize.headers.get('location') ?? '', base).searchParams.get('code');
  if (!code) return;
  const res = await call('code exchange', '/oauth2/token', {
    form: { grant_type: 'authorization_code', code, redirect_uri: WEB.redirectUris[0], code_verifier: verifier, ...webAuth },
  });
  if (res.ok) addChain(res.body, 'web');
}

async function refresh() {
  const chain = pick();
  if (!chain) return codeFlow();
  const res = await call('refresh', '/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: chain.pair.refresh_token, ...clientAuth(chain.client) } });
  if (res.ok) addChain(res.body, chain.client);
}

// a chain is taken out of the list while a worker uses it, so no other worker revokes it meanwhile
async function me() {
  const chain = pick();
  if (!chain) return codeFlow();
  await call('me', '/me', { method: 'GET', headers: { authorization: `Bearer ${chain.pair.access_token}` } });
  chains.push(chain);
}

async function introspect() {
  const chain = pick();
  if (!chain) return codeFlow();
  const auth = clientAuth(chain.client);
  // introspection is for confidential clients: the device client's tokens are another client's
  const res = await call('introspect', '/oauth2/introspect', { form: { token: chain.pair.access_token, ...webAuth } });
  const expected = chain.client === 'web';
  if (res.ok && res.body.active !== expected) {
    unexpected += 1;
    if (problems.length < 10) problems.push(`introspect: active ${res.body.active} for a live ${chain.client} token (${auth.client_id})`);
  }
  chains.push(chain);
}

async function clientCredentials() {
  await call('client credentials', '/oauth2/token', { form: { grant_type: 'client_credentials', ...webAuth } });
}

async function password() {
  const res = await call('password', '/oauth2/token', { form: { grant_type: 'password', username: USER.email, password: USER.password, ...webAuth } });
  if (res.ok) addChain(res.body, 'web');
}

async function device() {
  const start = await call('device authorization', '/oauth2/device-code', { form: { client_id: DEVICE.clientId } });
  if (!start.ok) return;
  const { device_code: deviceCode, user_code: userCode } = start.body;
  const poll = () => call('device poll', '/oauth2/token', { form: { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: DEVICE.clientId }, expect: 400 });
  await poll(); // authorization_pending
  await call('device approve', '/_emulator/device/approve', { json: { user_code: userCode, email: USER.email } });
  const res = await call('device poll', '/oauth2/token', { form: { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: DEVICE.clientId } });
  if (res.ok) addChain(res.body, 'device');
}

async function mint() {
  const res = await call('mint', '/_emulator/tokens', { json: { client_id: WEB.clientId, user: USER.email } });
  if (res.ok) addChain(res.body, 'web');
}

async function revoke() {
  const chain = pick();
  if (!chain) return codeFlow();
  // RFC 7009: revoking a refresh token revokes its family; the access token goes with it
  await call('revoke', '/oauth2/revoke', { form: { token: chain.pair.refresh_token, token_type_hint: 'refresh_token', ...clientAuth(chain.client) } });
  await call('me after revoke', '/me', { method: 'GET', headers: { authorization: `Bearer ${chain.pair.access_token}` }, expect: 401 });
  if (revoked.length < 1000) revoked.push(chain);
}

// weights: refresh and /me dominate, as in a real integration
const MIX = [
  [refresh, 30],
  [me, 30],
  [codeFlow, 8],
  [introspect, 8],
  [clientCredentials, 8],
  [device, 4],
  [mint, 4],
  [revoke, 4],
  [password, 1],
];
const TOTAL_WEIGHT = MIX.reduce((s, [, w]) => s + w, 0);
function nextOp() {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [op, w] of MIX) {
    r -= w;
    if (r < 0) return op;
  }
  return me;
}

// ---------------------------------------------------------------- run

const started = performance.now();
const deadline = started + DURATION_S * 1000;
const warmupEnd = started + Math.min(10_000, DURATION_S * 200); // 20 % of the run, at most 10 s
const rss = []; // [seconds, MB]
const sampler = setInterval(() => rss.push([(performance.now() - started) / 1000, memoryOf(server.pid).rssMb]), 1000);
let afterWarmupMb;
const warmupTimer = setTimeout(() => (afterWarmupMb = memoryOf(server.pid).rssMb), warmupEnd - started);
let failures = 0;

console.log(`soak: ${DURATION_S} s, ${WORKERS} workers against ${base} (dist/askara-emulator.mjs, file database ${databasePath})`);
await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    while (performance.now() < deadline && failures < 100) {
      try {
        await nextOp()();
      } catch (e) {
        failures += 1;
        if (problems.length < 10) problems.push(`request failed: ${e?.message ?? e}`);
      }
    }
  }),
);
clearInterval(sampler);
clearTimeout(warmupTimer);
const elapsed = (performance.now() - started) / 1000;
const endMb = memoryOf(server.pid).rssMb;
const peakMb = memoryOf(server.pid).peakMb;

// ---------------------------------------------------------------- checks

const checks = [];
const check = (name, ok, detail) => checks.push({ name, ok, detail });

// every live pair: its access token works, and its refresh token rotates once
let liveOk = 0;
for (const chain of chains) {
  const meRes = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${chain.pair.access_token}` } });
  await meRes.arrayBuffer();
  const rotated = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: chain.pair.refresh_token, ...clientAuth(chain.client) }).toString(),
  });
  await rotated.arrayBuffer();
  if (meRes.status === 200 && rotated.status === 200) liveOk += 1;
  else if (problems.length < 20) problems.push(`live pair: /me ${meRes.status}, refresh ${rotated.status}`);
}
let revokedOk = 0;
for (const chain of revoked.slice(0, 200)) {
  const res = await fetch(`${base}/oauth2/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: chain.pair.refresh_token, ...webAuth }).toString(),
  });
  const body = await res.json();
  if (res.status === 200 && body.active === false) revokedOk += 1;
}
const totalRequests = Object.values(counts).reduce((s, c) => s + c.total, 0);
const growth = afterWarmupMb === undefined ? Number.NaN : endMb - afterWarmupMb;

check('no 5xx', fiveXx === 0, `${fiveXx} answers ≥ 500`);
check('no unexpected status, no failed request', unexpected === 0 && failures === 0, `${unexpected} unexpected, ${failures} failed`);
check(`RSS growth after warm-up ≤ ${MAX_RSS_GROWTH_MB} MB`, growth <= MAX_RSS_GROWTH_MB, `${afterWarmupMb?.toFixed(0)} → ${endMb.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB), peak ${peakMb.toFixed(0)} MB`);
check('every live token pair valid', chains.length > 0 && liveOk === chains.length, `${liveOk}/${chains.length}`);
check('every revoked refresh token inactive', revokedOk === Math.min(revoked.length, 200), `${revokedOk}/${Math.min(revoked.length, 200)}`);

const exit = await stop(server);
check('clean SIGTERM', exit.code === 0, `exit ${exit.code ?? exit.signal}`);
const Database = createRequire(import.meta.url)('better-sqlite3');
const db = new Database(databasePath, { readonly: true });
const integrity = db.pragma('integrity_check', { simple: true });
db.close();
check('PRAGMA integrity_check', integrity === 'ok', String(integrity));
rmSync(tmp, { recursive: true, force: true });

// ---------------------------------------------------------------- report

console.log(`\n${totalRequests} requests in ${elapsed.toFixed(1)} s (${Math.round(totalRequests / elapsed)} req/s)\n`);
console.log('| operation | requests | as expected |');
console.log('|---|---|---|');
for (const [op, c] of Object.entries(counts).sort((a, b) => b[1].total - a[1].total)) console.log(`| ${op} | ${c.total} | ${c.ok} |`);
console.log(`\nRSS (MB) every 10 s: ${rss.filter((_, i) => i % 10 === 0).map(([, mb]) => mb.toFixed(0)).join(' ')}`);
console.log('');
for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
if (problems.length) console.log(`\nfirst problems:\n  ${problems.join('\n  ')}`);
const passed = checks.filter((c) => c.ok).length;
console.log(`\nsoak: ${passed} passed, ${checks.length - passed} failed`);
process.exit(passed === checks.length ? 0 : 1);
