// One autocannon run on loopback, normalised: req/s, p50/p99, errors (anything but the expected
// statuses counts as an error, so a run with errors is flagged, never reported as a success),
// and the CPU the server and the load generator used meanwhile.
import autocannon from 'autocannon';
import { cpuSecondsOf } from './processes.mjs';

/**
 * @param {object} o
 * @param {number} o.port
 * @param {object[]} o.requests autocannon request sequence (each connection loops over it)
 * @param {number[]} o.expected statuses that count as success (e.g. [200] or [200, 302])
 * @param {number} [o.duration] seconds; [o.amount] requests instead of a duration
 * @param {number} [o.maxOverallRequests] stop early after that many requests (pre-minted tokens)
 * @param {number} [o.serverPid] to measure the server's CPU
 */
export async function load({ port, requests, expected, connections, duration, amount, maxOverallRequests, serverPid }) {
  const serverCpu0 = serverPid ? cpuSecondsOf(serverPid) : Number.NaN;
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: amount ? Math.min(connections, amount) : connections,
        duration,
        amount,
        maxOverallRequests,
        requests,
        timeout: 10,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
  const elapsed = (performance.now() - t0) / 1000;
  const clientCpu = process.cpuUsage(clientCpu0);
  const unexpected = Object.entries(result.statusCodeStats ?? {}).filter(([status]) => !expected.includes(Number(status)));
  const unexpectedCount = unexpected.reduce((n, [, v]) => n + v.count, 0);
  const errors = result.errors + unexpectedCount + result.mismatches + result.resets;
  const problems = [
    ...unexpected.map(([status, v]) => `${v.count}× HTTP ${status}`),
    result.errors ? `${result.errors} socket errors (${result.timeouts} timeouts)` : '',
    result.resets ? `${result.resets} flows restarted (a step failed)` : '',
  ].filter(Boolean);
  return {
    rps: result.requests.average,
    total: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    problems,
    serverCpu: serverPid ? (cpuSecondsOf(serverPid) - serverCpu0) / elapsed : Number.NaN,
    clientCpu: (clientCpu.user + clientCpu.system) / 1e6 / elapsed,
  };
}

/**
 * Sends a request sequence once (one connection) and returns every response, so a workload can
 * be checked before it is measured: {responses: [{status, body, headers}], ...}.
 */
export async function probe({ port, requests }) {
  const responses = [];
  const wrapped = requests.map((r) => ({
    ...r,
    onResponse: (status, body, context, headers) => {
      responses.push({ status, body, headers });
      r.onResponse?.(status, body, context, headers);
    },
  }));
  await new Promise((resolve, reject) => {
    autocannon({ url: `http://127.0.0.1:${port}`, connections: 1, amount: requests.length, requests: wrapped, timeout: 10 }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
  return responses;
}
