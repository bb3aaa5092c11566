// Every workload, declared once: which servers run it, the request sequence autocannon loops
// over, the statuses that count as success, and what must be prepared first (tokens). A workload
// a server does not offer yet (404, or 400 unsupported_grant_type) becomes a "not available" row.
import { BASIC, CLIENT_ID, CODE_CHALLENGE, CODE_VERIFIER, FORM, REDIRECT_URI, USER_EMAIL } from './constants.mjs';

const enc = encodeURIComponent;

/** The authorization code flow with INTERACTIVE_LOGIN=false: GET /authorize → 302 with a code → exchange. */
export function codeFlowRequests() {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'profile organization',
    state: 'bench',
    code_challenge: CODE_CHALLENGE,
    code_challenge_method: 'S256',
    login_hint: USER_EMAIL,
  });
  return [
    {
      method: 'GET',
      path: `/authorize?${query}`,
      onResponse: (_status, _body, context, headers) => {
        const location = headers.location ?? headers.Location;
        context.code = location ? new URL(location).searchParams.get('code') : undefined;
      },
    },
    {
      method: 'POST',
      path: '/oauth2/token',
      headers: { ...FORM, authorization: BASIC },
      // a falsy return restarts the flow (counted as an error): no code, no exchange
      setupRequest: (request, context) =>
        context.code
          ? { ...request, body: `grant_type=authorization_code&code=${enc(context.code)}&redirect_uri=${enc(REDIRECT_URI)}&code_verifier=${CODE_VERIFIER}` }
          : null,
    },
  ];
}

const tokenRequest = (session, body) => ({ method: 'POST', path: session.server.tokenPath, headers: { ...FORM, authorization: BASIC }, body });

const TOKEN_ENDPOINT_WORKLOADS = ['cc', 'code-flow', 'refresh'];

/**
 * Tops up the pre-minted refresh tokens before a run of `seconds`: ≈ expected req/s × seconds ×
 * 1.5 must be left, bounded by BENCH_MAX_REFRESH_TOKENS per server (the issue suggests × 1.3; the
 * expected rate is an estimate on a shared machine, so a little more headroom). Minting happens
 * before the run, never during it.
 */
async function topUpRefreshTokens(session, plan, seconds) {
  if (!session.server.mintRefreshTokens) throw new Error('this server has no way to pre-mint refresh tokens');
  session.refreshTokens ??= [];
  session.refreshIndex ??= 0;
  session.minted ??= { count: 0, seconds: 0, via: '', capped: false };
  // its own best measured rate once a round has run; before that the best rate of any
  // token-endpoint workload on this server (a warm-up is cold: its rate alone would undersize)
  const seen = TOKEN_ENDPOINT_WORKLOADS.map((id) => session.rates[id] ?? 0);
  const expected = session.measured?.refresh || Math.max(...seen) || plan.fallbackRps;
  const wanted = Math.ceil(expected * seconds * 1.5) + plan.connections * 2;
  const remaining = session.refreshTokens.length - session.refreshIndex;
  const allowed = plan.maxRefreshTokens - session.minted.count;
  const n = Math.min(wanted - remaining, allowed);
  if (wanted - remaining > allowed) session.minted.capped = true;
  if (n <= 0) return;
  const minted = await session.server.mintRefreshTokens(session, n);
  // spent tokens are dropped, so the pool does not grow without bound
  session.refreshTokens = [...session.refreshTokens.slice(session.refreshIndex), ...minted.tokens];
  session.refreshIndex = 0;
  Object.assign(session.minted, { count: session.minted.count + minted.tokens.length, seconds: session.minted.seconds + minted.seconds, via: minted.via });
}

function mintedNote(session) {
  const m = session.minted;
  if (!m) return undefined;
  return `${m.count} refresh tokens pre-minted via ${m.via}, ${m.seconds.toFixed(1)} s in all, before the runs` + (m.capped ? ' (capped by BENCH_MAX_REFRESH_TOKENS)' : '');
}

async function userPair(session) {
  if (session.pair) return undefined;
  const { userTokenPair } = await import('./mint.mjs');
  const { pair, via } = await userTokenPair(session);
  session.pair = pair;
  return `user token pair minted via ${via}`;
}

export const WORKLOADS = [
  {
    id: 'hello',
    title: 'GET / (hello world)',
    on: ['fastify'],
    expected: [200],
    requests: () => [{ method: 'GET', path: '/' }],
  },
  {
    id: 'code-flow',
    title: 'authorization code flow (2 requests per flow)',
    on: ['emulator'],
    requestsPerOp: 2,
    expected: [200, 302],
    requests: () => codeFlowRequests(),
  },
  {
    id: 'cc',
    title: 'client credentials grant',
    on: ['emulator', 'emulator-rl', 'oidc-provider', 'mock-server'],
    expected: [200],
    requests: (session) => [tokenRequest(session, 'grant_type=client_credentials&scope=profile')],
  },
  {
    id: 'me',
    title: 'GET /me',
    on: ['emulator'],
    expected: [200],
    prepare: userPair,
    requests: (session) => [{ method: 'GET', path: '/me', headers: { authorization: `Bearer ${session.pair.access_token}` } }],
  },
  {
    id: 'introspect',
    title: 'introspection (access token)',
    on: ['emulator'],
    expected: [200],
    prepare: userPair,
    requests: (session) => [
      { method: 'POST', path: '/oauth2/introspect', headers: { ...FORM, authorization: BASIC }, body: `token=${session.pair.access_token}&token_type_hint=access_token` },
    ],
    check: (responses) => (responses.every((r) => /"active"\s*:\s*true/.test(r.body)) ? undefined : `the token is not reported active: ${responses[0]?.body.slice(0, 200)}`),
  },
  {
    id: 'refresh',
    title: 'refresh grant (a distinct pre-minted token per request, rotated)',
    on: ['emulator', 'oidc-provider-refresh'],
    expected: [200],
    prepare: (session, plan) => topUpRefreshTokens(session, plan, plan.warmup + 1),
    beforeRun: (session, plan) => topUpRefreshTokens(session, plan, plan.duration),
    summary: mintedNote,
    requests: (session) => [
      {
        ...tokenRequest(session, ''),
        setupRequest: (request) => {
          // past the end (only when autocannon builds a request it will not send) a dummy is used
          const token = session.refreshTokens[session.refreshIndex++] ?? 'bench-pool-exhausted';
          return { ...request, body: `grant_type=refresh_token&refresh_token=${token}` };
        },
      },
    ],
    // leaves room for the requests autocannon builds but does not send when a run stops
    maxRequests: (session, plan) => Math.max(plan.connections, session.refreshTokens.length - session.refreshIndex - plan.connections),
  },
];
