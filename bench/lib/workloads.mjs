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

/** Pre-mints the refresh tokens of a run: ≈ expected req/s × seconds of load × 1.3, bounded. */
async function mintRefreshTokens(session, plan) {
  if (!session.server.mintRefreshTokens) throw new Error('this server has no way to pre-mint refresh tokens');
  const expected = Math.max(session.rates.cc ?? 0, session.rates['code-flow'] ?? 0) || plan.fallbackRps;
  const seconds = plan.warmup + plan.duration * plan.rounds;
  const wanted = Math.ceil(expected * seconds * 1.3) + plan.connections * (plan.rounds + 3);
  const n = Math.min(wanted, plan.maxRefreshTokens);
  const minted = await session.server.mintRefreshTokens(session, n);
  session.refreshTokens = minted.tokens;
  session.refreshIndex = 0;
  return `${minted.tokens.length} refresh tokens pre-minted via ${minted.via} in ${minted.seconds.toFixed(1)} s` +
    (wanted > n ? ` (capped by BENCH_MAX_REFRESH_TOKENS; ${wanted} wanted)` : '');
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
    on: ['emulator', 'oidc-provider'],
    expected: [200],
    prepare: mintRefreshTokens,
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
