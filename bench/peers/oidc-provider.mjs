// oidc-provider (panva) 9 with one confidential client, client credentials and refresh grants,
// and RS256 JWT access tokens (resource indicators with a default resource), signed with the
// bench's RSA-2048 key. Refresh tokens always rotate (single use), like the emulator's; their scope
// has no `openid`, so no ID token is signed on refresh. POST /__bench/refresh-tokens?n=N mints N
// refresh tokens through its own models (it has no flow-free way to get them, and its
// authorization code flow needs an interactive login); the bench calls it before the load.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { MapAdapter } from './map-adapter.mjs';

const port = Number(process.env.PORT);
const clientId = process.env.BENCH_CLIENT_ID;
const RESOURCE = 'urn:askara-bench:api';
const SCOPE = 'profile';
const DAY = 86_400;

const provider = new Provider(`http://127.0.0.1:${port}`, {
  adapter: MapAdapter,
  clients: [
    {
      client_id: clientId,
      client_secret: process.env.BENCH_CLIENT_SECRET,
      grant_types: ['client_credentials', 'refresh_token', 'authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1:9/callback'],
      scope: SCOPE,
    },
  ],
  jwks: { keys: [JSON.parse(readFileSync(process.env.BENCH_KEY_FILE, 'utf8'))] },
  scopes: ['openid', 'offline_access', SCOPE],
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  cookies: { keys: ['askara-bench-cookie-key'] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: SCOPE, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
    },
  },
  rotateRefreshToken: true,
  ttl: { AccessToken: 3600, ClientCredentials: 3600, RefreshToken: 30 * DAY, Grant: 30 * DAY },
});

async function mintRefreshTokens(n) {
  const client = await provider.Client.find(clientId);
  const tokens = [];
  for (let i = 0; i < n; i += 1) {
    const accountId = `bench-user-${i}`;
    const grant = new provider.Grant({ accountId, clientId });
    grant.addResourceScope(RESOURCE, SCOPE);
    const grantId = await grant.save();
    const token = new provider.RefreshToken({ accountId, client, grantId, gty: 'authorization_code', resource: RESOURCE, scope: SCOPE, rotations: 0 });
    tokens.push(await token.save());
  }
  return tokens;
}

const callback = provider.callback();
const server = createServer((req, res) => {
  if (!req.url.startsWith('/__bench/refresh-tokens')) return callback(req, res);
  const n = Math.min(Number(new URL(req.url, 'http://x').searchParams.get('n')) || 0, 200_000);
  mintRefreshTokens(n).then(
    (tokens) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokens)),
    (e) => res.writeHead(500).end(String(e?.stack ?? e)),
  );
});
server.listen(port, '127.0.0.1');
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
