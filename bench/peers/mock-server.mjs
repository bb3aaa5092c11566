// oauth2-mock-server (axa-group), client credentials: it signs an RS256 JWT with the bench key and
// authenticates nobody (it is a mock). Its token endpoint is POST /token.
import { readFileSync } from 'node:fs';
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.add(JSON.parse(readFileSync(process.env.BENCH_KEY_FILE, 'utf8')));
await server.start(Number(process.env.PORT), '127.0.0.1');
const stop = () => server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
