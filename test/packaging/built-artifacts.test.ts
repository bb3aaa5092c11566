import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, VERSION } from '../../src/paths.js';
import { CONTAINER_CMD } from '../helpers/container.js';

// These run the built files as the container, `npm start`, `npx askara-emulator` and a consumer
// package would; one `tsc -b` for the file (incremental: nothing to do after `npm test`'s own build).
const run = promisify(execFile);
const dist = (file: string) => resolve(PACKAGE_ROOT, 'dist', file);
let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  execFileSync(process.execPath, [resolve(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: PACKAGE_ROOT, stdio: 'pipe', timeout: 120_000 });
  // the production entry (npm start, the container): dist/server.js bundled into one file
  execFileSync('npm', ['run', '--silent', 'bundle'], { cwd: PACKAGE_ROOT, stdio: 'pipe', timeout: 120_000 });
  dir = mkdtempSync(join(tmpdir(), 'askara-built-'));
}, 130_000);
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['PORT', 'HOST', 'ISSUER', 'DATABASE_PATH', 'ASKARA_SEED', 'ADMIN_TOKEN', 'LOG_LEVEL']) delete env[key];
  return { ...env, ...extra };
}

/** Starts a built entry point and resolves with its base URL once it prints "listening on …". */
function start(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolveStart, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 20 s:\n${out}`)), 20_000);
    const read = (chunk: Buffer) => {
      out += String(chunk);
      const url = /listening on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolveStart({ child, url });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${out}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

async function healthcheck(port: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [dist('healthcheck.js')], { env: cleanEnv({ PORT: port }), timeout: 10_000 });
    return { code: 0, stdout };
  } catch (e) {
    const failure = e as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

describe("the container's CMD and HEALTHCHECK, run on the host", () => {
  it.each([
    ['askara-emulator.mjs', CONTAINER_CMD.slice(1, -1)],
    ['server.js', []],
  ])('node dist/%s (flags %j) serves, /docs included; node dist/healthcheck.js says healthy, then unhealthy once it stops', async (entry, flags) => {
    expect(CONTAINER_CMD.at(-1)).toBe('dist/askara-emulator.mjs');
    const { child, url } = await start([...flags, dist(entry)], { HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: join(dir, `cmd-${entry}.sqlite`) });
    const port = new URL(url).port;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // /docs and its assets: @fastify/swagger-ui is in the bundle and reads its static files from the
    // installed package (scripts/bundle.mjs gives it back its __dirname)
    const docs = await fetch(`${url}/docs`);
    expect(docs.status).toBe(200);
    expect((await docs.text()).includes('/docs/static/swagger-ui-bundle.js')).toBe(true);
    expect((await fetch(`${url}/docs/static/swagger-ui-bundle.js`)).status).toBe(200);
    expect(((await (await fetch(`${url}/docs/json`)).json()) as { paths: object }).paths).toHaveProperty(['/oauth2/token']);
    const healthy = await healthcheck(port);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(new RegExp(`^healthy: http://127\\.0\\.0\\.1:${port}/healthz answered 200 \\{"status":"ok","version":"${VERSION}","database":"ok"\\}\\n$`));
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    const dead = await healthcheck(port);
    expect(dead.code).toBe(1);
    expect(dead.stdout).toMatch(/^unhealthy: http:\/\/127\.0\.0\.1:\d+\/healthz: connect ECONNREFUSED/);
  }, 30_000);
});

describe('the bundle', () => {
  it('is Latin-1 text throughout, so V8 holds its source one byte per character (one character beyond doubles it)', () => {
    const files = readdirSync(dist('.')).filter((name) => /^askara-emulator.*\.mjs$/.test(name));
    expect(files.length).toBeGreaterThan(1);
    const beyond = files.flatMap((name) =>
      [...readFileSync(dist(name), 'utf8').matchAll(/[^\u0000-\u00ff]/g)].map((m) => `${name}: U+${m[0].codePointAt(0)?.toString(16).toUpperCase()}`),
    );
    expect(beyond).toEqual([]);
  });
});

describe('the askara-emulator binary (dist/cli/main.js)', () => {
  it('starts with a shebang, prints its version and exits 2 on an unknown command', async () => {
    expect(readFileSync(dist('cli/main.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await run(process.execPath, [dist('cli/main.js'), '--version'])).stdout).toBe(`${VERSION}\n`);
    await expect(run(process.execPath, [dist('cli/main.js'), 'frobnicate'], { env: cleanEnv({}) })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("error: unknown command 'frobnicate'"),
    });
  });

  it('serves by default and mints, from another process, a token the server accepts', async () => {
    const database = join(dir, 'cli.sqlite');
    const { url } = await start([dist('cli/main.js'), '--database', database], { PORT: '0' });
    const issuer = `http://localhost:${new URL(url).port}`;
    const { stdout } = await run(process.execPath, [dist('cli/main.js'), 'token', '--client', 'demo-web-client', '--user', 'john.doe@example.com', '--issuer', issuer], {
      env: cleanEnv({ DATABASE_PATH: database }),
    });
    const { access_token } = JSON.parse(stdout);
    const me = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect([me.status, ((await me.json()) as { email: string }).email]).toEqual([200, 'john.doe@example.com']);
  }, 30_000);
});

describe("import { startEmulator } from 'askara-emulator' in a consumer project", () => {
  it('runs the README example by package name and leaves no file behind', async () => {
    const project = join(dir, 'consumer');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(PACKAGE_ROOT, join(project, 'node_modules', 'askara-emulator'), 'dir');
    writeFileSync(
      join(project, 'example.mjs'),
      [
        "import { startEmulator } from 'askara-emulator';",
        'const askara = await startEmulator();',
        "const { access_token } = await askara.mintTokens({ client_id: 'demo-web-client', user: 'john.doe@example.com', scope: 'profile' });",
        'const me = await fetch(`${askara.url}/me`, { headers: { authorization: `Bearer ${access_token}` } });',
        'askara.clock.advance(3601);',
        'const later = await fetch(`${askara.url}/me`, { headers: { authorization: `Bearer ${access_token}` } });',
        'await askara.close();',
        'console.log(JSON.stringify([me.status, later.status]));',
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['example.mjs'], { cwd: project, env: cleanEnv({}), timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual([200, 401]);
    expect(readdirSync(project).sort()).toEqual(['example.mjs', 'node_modules']);
    expect(readdirSync(join(project, 'node_modules'))).toEqual(['askara-emulator']);
  }, 30_000);
});
