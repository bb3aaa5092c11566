// Login cost. (1) The argon2id verify alone, with the project's own ARGON2_OPTIONS and module
// (dist/accounts/passwords.js), in this process. (2) The HTTP login: an emulator with
// INTERACTIVE_LOGIN=true; for each sample a fresh browser-like client opens /authorize, follows
// to the login page (CSRF token and cookie), and the POST of the form is timed, one at a time.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLIENT_ID, CODE_CHALLENGE, REDIRECT_URI, ROOT, USER_EMAIL, USER_PASSWORD } from './constants.mjs';
import { stop } from './processes.mjs';
import { startServer } from './servers.mjs';

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const summary = (times) => ({ p50: percentile(times, 0.5), p90: percentile(times, 0.9), runs: times.length });

async function argon2Direct(runs) {
  const { hashPassword, passwordVerifier, ARGON2_OPTIONS } = await import(pathToFileURL(join(ROOT, 'dist/accounts/passwords.js')).href);
  const hash = await hashPassword(USER_PASSWORD);
  const times = [];
  for (let i = 0; i < runs + 2; i += 1) {
    const t0 = performance.now();
    if (!(await passwordVerifier.verify(hash, USER_PASSWORD))) throw new Error('argon2 verify returned false');
    if (i >= 2) times.push(performance.now() - t0);
  }
  const { type: _type, ...params } = ARGON2_OPTIONS;
  return { ...summary(times), params: `argon2id ${JSON.stringify(params)}` };
}

const cookiesOf = (res) => res.headers.getSetCookie().map((c) => c.split(';')[0]);

async function timedLogin(port) {
  const base = `http://127.0.0.1:${port}`;
  const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: 'profile', code_challenge: CODE_CHALLENGE, code_challenge_method: 'S256' });
  const start = await fetch(`${base}/authorize?${query}`, { redirect: 'manual' });
  const interaction = start.headers.get('location');
  if (!interaction?.startsWith('/interaction/')) throw new Error(`GET /authorize answered ${start.status} → ${interaction}`);
  // the interaction is bound to the browser that started it (its askara_browser cookie)
  const browser = cookiesOf(start);
  const page = await fetch(`${base}${interaction}`, { redirect: 'manual', headers: { cookie: browser.join('; ') } });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error(`the login page has no CSRF token (status ${page.status})`);
  const body = new URLSearchParams({ _csrf: csrf, email: USER_EMAIL, password: USER_PASSWORD }).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded', cookie: [...browser, ...cookiesOf(page)].join('; ') };
  const t0 = performance.now();
  const res = await fetch(`${base}${interaction}/login`, { method: 'POST', headers, body, redirect: 'manual' });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 303 || !cookiesOf(res).some((c) => c.startsWith('askara_session='))) throw new Error(`the login POST answered ${res.status} without a session`);
  return ms;
}

export async function measureLogin(bench, runs, log) {
  log('▶ login');
  const direct = await argon2Direct(runs);
  log(`  argon2id verify alone: p50 ${direct.p50.toFixed(1)} ms`);
  let http;
  const session = await startServer('emulator', bench, { env: { INTERACTIVE_LOGIN: 'true' } });
  try {
    const times = [];
    for (let i = 0; i < runs + 2; i += 1) {
      const ms = await timedLogin(session.port);
      if (i >= 2) times.push(ms);
    }
    http = summary(times);
    log(`  HTTP login POST: p50 ${http.p50.toFixed(1)} ms`);
  } catch (e) {
    http = { error: e.message };
    log(`  HTTP login failed: ${e.message}`);
  } finally {
    await stop(session.child);
  }
  return { direct, http };
}
