// The crypto ceiling: how many RS256 (RSA-2048) JWTs jose 6 signs per second in one process.
// jose signs with WebCrypto, which runs on libuv's thread pool, so keeping several signatures in
// flight uses every core. The claims have the shape of the emulator's access tokens.
// Afterwards it times node:crypto's synchronous RSA-2048 signature on one thread: the CPU floor of
// any RS256 token, whoever signs it.
// Prints one JSON line: {"signatures", "seconds", "perSecond", "concurrency", "cpuMicros", "floorMicros"}.
import { createPrivateKey, randomUUID, sign as rsaSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT } from 'jose';

const jwk = JSON.parse(readFileSync(process.env.BENCH_KEY_FILE, 'utf8'));
const key = await importJWK(jwk, 'RS256');
const duration = Number(process.env.BENCH_DURATION ?? 10) * 1000;
const warmup = Number(process.env.BENCH_WARMUP ?? 2) * 1000;
const concurrency = Number(process.env.BENCH_SIGN_CONCURRENCY ?? 16);

function sign() {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'http://localhost:8080', aud: 'bench-client', sub: 'bench-client', jti: randomUUID(),
    iat: now, nbf: now, exp: now + 3600, scopes: ['profile'], scope: 'profile', client_id: 'bench-client',
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: jwk.kid }).sign(key);
}

/** Keeps `concurrency` signatures in flight until `ms` have passed; returns how many completed. */
async function run(ms) {
  const end = performance.now() + ms;
  let count = 0;
  const lane = async () => {
    while (performance.now() < end) {
      await sign();
      count += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return count;
}

/** Median µs of one synchronous node:crypto RS256 signature, over 5 batches of 200. */
function floorMicros() {
  const keyObject = createPrivateKey({ key: jwk, format: 'jwk' });
  const input = Buffer.from(`${'e'.repeat(60)}.${'p'.repeat(330)}`);
  const batches = [];
  for (let b = 0; b < 5; b += 1) {
    const t = performance.now();
    for (let i = 0; i < 200; i += 1) rsaSign('sha256', input, keyObject);
    batches.push(((performance.now() - t) * 1000) / 200);
  }
  return batches.sort((x, y) => x - y)[2];
}

await run(warmup);
const start = performance.now();
const cpuBefore = process.cpuUsage();
const signatures = await run(duration);
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuMicros = (cpu.user + cpu.system) / signatures;
process.stdout.write(`${JSON.stringify({ signatures, seconds, perSecond: signatures / seconds, concurrency, cpuMicros, floorMicros: floorMicros() })}\n`);
