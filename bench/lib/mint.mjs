// Token pairs for the workloads that spend or present tokens. The emulator mints through
// POST /_emulator/tokens when that control endpoint exists (fastest), otherwise through the
// whole authorization code flow with INTERACTIVE_LOGIN=false (GET /authorize with login_hint,
// then the code exchange), driven by autocannon so minting is as fast as the server allows.
import autocannon from 'autocannon';
import { CLIENT_ID, USER_EMAIL } from './constants.mjs';
import { describeAnswer } from './answers.mjs';
import { codeFlowRequests } from './workloads.mjs';

const CONTROL_BODY = JSON.stringify({ client_id: CLIENT_ID, user: USER_EMAIL, scope: 'profile organization' });

async function viaControlApi(port) {
  const res = await fetch(`http://127.0.0.1:${port}/_emulator/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: CONTROL_BODY });
  if (!res.ok) return undefined;
  const pair = await res.json();
  return typeof pair.refresh_token === 'string' ? pair : undefined;
}

async function viaCodeFlow(port) {
  const [authorize, exchange] = codeFlowRequests(port);
  const res = await fetch(`http://127.0.0.1:${port}${authorize.path}`, { redirect: 'manual' });
  const code = new URL(res.headers.get('location') ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error(`GET /authorize answered ${res.status} without a code: ${(await res.text()).slice(0, 160)}`);
  const built = exchange.setupRequest({ ...exchange }, { code });
  const token = await fetch(`http://127.0.0.1:${port}${built.path}`, { method: 'POST', headers: built.headers, body: built.body });
  if (!token.ok) throw new Error(`the code exchange answered ${describeAnswer(token.status, await token.text())}`);
  return token.json();
}

/** One user token pair (scopes profile + organization) and how it was minted. */
export async function userTokenPair(session) {
  const pair = await viaControlApi(session.port);
  if (pair) return { pair, via: 'POST /_emulator/tokens' };
  return { pair: await viaCodeFlow(session.port), via: 'the authorization code flow' };
}

function collectWith(port, requests, amount, connections) {
  return new Promise((resolve, reject) => {
    autocannon({ url: `http://127.0.0.1:${port}`, connections: Math.min(connections, amount), amount, requests, timeout: 10 }, (err) =>
      err ? reject(err) : resolve(),
    );
  });
}

/**
 * `n` distinct refresh tokens of the emulator (bounded: at most three passes; a pass that adds
 * nothing ends it). Returns {tokens, via, seconds}.
 */
export async function mintEmulatorRefreshTokens(session, n) {
  const t0 = performance.now();
  const tokens = [];
  // one pair first, outside autocannon, so a broken flow fails here with its reason
  const control = await viaControlApi(session.port);
  const via = control ? 'POST /_emulator/tokens' : 'the authorization code flow';
  const first = control ?? (await viaCodeFlow(session.port));
  if (typeof first.refresh_token !== 'string') throw new Error('the token response has no refresh_token (is refresh_token among the client\'s grant types?)');
  tokens.push(first.refresh_token);
  const collect = (status, body) => {
    const token = status === 200 || status === 201 ? JSON.parse(body).refresh_token : undefined;
    if (typeof token === 'string') tokens.push(token);
  };
  for (let pass = 0; pass < 3 && tokens.length < n; pass += 1) {
    const before = tokens.length;
    const missing = n - tokens.length;
    if (control) {
      const requests = [{ method: 'POST', path: '/_emulator/tokens', headers: { 'content-type': 'application/json' }, body: CONTROL_BODY, onResponse: collect }];
      await collectWith(session.port, requests, missing, 20);
    } else {
      const [authorize, exchange] = codeFlowRequests(session.port);
      await collectWith(session.port, [authorize, { ...exchange, onResponse: collect }], missing * 2, 50);
    }
    if (tokens.length === before) break;
  }
  return { tokens: tokens.slice(0, n), via, seconds: (performance.now() - t0) / 1000 };
}
