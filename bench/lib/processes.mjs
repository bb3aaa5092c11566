// Child processes of the bench: every server is spawned here, tracked, and killed on exit, error
// or Ctrl-C. Servers only ever listen on 127.0.0.1.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';

const children = new Set();

/** A free TCP port on loopback (bound, read, released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Spawns `node [nodeArgs] script` with `env`; keeps the last lines of its output for diagnostics. */
export function spawnNode(script, { args = [], nodeArgs = [], env = {}, cwd } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    if (output.length > 60) output.splice(0, output.length - 60);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited.then(() => children.delete(child));
  child.output = output;
  return child;
}

/** One GET on loopback: resolves {status, body}; rejects on a connection error or after `timeoutMs`. */
export function get(port, path, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls GET `path` every `intervalMs` until it answers 200; resolves the milliseconds since
 * `startedAt` (performance.now()). Fails if the child exits first or after `timeoutMs`.
 */
export async function waitReady(child, port, path, { startedAt = performance.now(), intervalMs = 2, timeoutMs = 30_000 } = {}) {
  let exited = false;
  child.exited.then(() => (exited = true));
  while (performance.now() - startedAt < timeoutMs) {
    if (exited) throw new Error(`the server exited before ${path} answered 200:\n  ${child.output.join('\n  ')}`);
    try {
      const res = await get(port, path, 1000);
      if (res.status === 200) return performance.now() - startedAt;
    } catch {
      // not listening yet
    }
    await sleep(intervalMs);
  }
  throw new Error(`no 200 from ${path} within ${timeoutMs} ms:\n  ${child.output.join('\n  ')}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export async function stop(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

/** Kills every child still running (synchronously: usable in an 'exit' handler). */
export function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Peak and current resident memory of a process, in MB of 10^6 bytes (Linux /proc, whose "kB" is 1,024 bytes). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = (name) => (Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024) / 1e6;
    return { peakMb: mb('VmHWM'), rssMb: mb('VmRSS') };
  } catch {
    return { peakMb: Number.NaN, rssMb: Number.NaN };
  }
}

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc). */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] is utime, fields[12] stime (fields 14 and 15 of proc(5)), in clock ticks
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
