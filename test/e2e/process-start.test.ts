import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';

const SERVER = join(PACKAGE_ROOT, 'dist', 'server.js');
const dir = mkdtempSync(join(tmpdir(), 'askara-start-'));

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` may not have
  if (!existsSync(SERVER)) spawnSync(join(PACKAGE_ROOT, 'node_modules', '.bin', 'tsc'), ['-b'], { cwd: PACKAGE_ROOT, timeout: 60_000 });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The variables of SPEC §2 unset, so only what a test sets applies. */
function env(vars: Record<string, string>): NodeJS.ProcessEnv {
  const { PORT: _p, HOST: _h, ISSUER: _i, DATABASE_PATH: _d, ASKARA_SEED: _s, ADMIN_TOKEN: _a, ...rest } = process.env;
  return { ...rest, DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', ...vars };
}

function start(vars: Record<string, string>) {
  return spawnSync(process.execPath, [SERVER], { env: env(vars), encoding: 'utf8', timeout: 20_000 });
}

describe('npm start (dist/server.js)', () => {
  it('stops at start with a message naming a bad variable and the expected form', () => {
    const run = start({ PORT: 'eighty', REFRESH_REUSE: 'sometimes' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'askara-emulator: Invalid configuration:\n  - PORT must be a whole number from 0 to 65535, got "eighty"\n  - REFRESH_REUSE must be one of revoke-family, reject, got "sometimes"\n',
    );
  });

  it('stops at start with the path and the offending field of a malformed seed file', () => {
    const path = join(dir, 'seed.json');
    writeFileSync(path, JSON.stringify({ users: [{ uuid: '9e2c23ee-90f3-495c-8e2f-8f2404bcd64d', email: 'not-an-email', password: 'x' }] }));
    const run = start({ PORT: '0', ASKARA_SEED: path });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`askara-emulator: seed file ${path}: users[0].email: must match format "email"\n`);
  });

  it('serves on a free port with PORT=0, prints the URLs and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [SERVER], { env: env({ PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      const issuer = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line in: ${out}`)), 20_000);
        child.stdout.on('data', () => {
          const m = /ready at (http:\/\/localhost:\d+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      expect(out).toContain('Demo logins:');
      expect(out).toContain(`playground ${issuer}/playground    console ${issuer}/console    API docs ${issuer}/docs`);
      const metadata = (await (await fetch(`${issuer.replace('localhost', '127.0.0.1')}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
      expect(metadata.issuer).toBe(issuer);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    }
  }, 30_000);
});
