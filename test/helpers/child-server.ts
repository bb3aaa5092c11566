import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

/** The built entry `npm start` compiles (`tsc -b`); `npm test` builds it before vitest runs. */
export const BUILT_SERVER = join(PACKAGE_ROOT, 'dist', 'server.js');

/** Builds dist/ when a bare `vitest run` finds it missing. */
export function ensureBuilt(): void {
  if (!existsSync(BUILT_SERVER)) spawnSync(join(PACKAGE_ROOT, 'node_modules', '.bin', 'tsc'), ['-b'], { cwd: PACKAGE_ROOT, timeout: 60_000 });
}

export interface ChildServer {
  /** http://127.0.0.1:<port> */
  url: string;
  child: ChildProcess;
  /** stdout and stderr so far, for failure messages */
  output: () => string;
  /** Sends `signal` (if still running) and resolves once the process has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * `node dist/server.js` with only `vars` of SPEC §2 set (PORT=0 on 127.0.0.1 unless given);
 * resolves once it prints its banner, rejects if it exits first or after `timeoutMs`.
 */
export async function startChildServer(vars: Record<string, string>, timeoutMs = 20_000): Promise<ChildServer> {
  const { PORT: _p, HOST: _h, ISSUER: _i, DATABASE_PATH: _d, ASKARA_SEED: _s, ADMIN_TOKEN: _a, RATE_LIMIT: _r, ...rest } = process.env;
  const env = { ...rest, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...vars };
  const child = spawn(process.execPath, [BUILT_SERVER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within ${timeoutMs} ms:\n${out}`)), timeoutMs);
      const look = () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout?.on('data', look);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`exited with ${child.exitCode ?? child.signalCode} before listening:\n${out}`));
      });
    });
    return { url, child, output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
