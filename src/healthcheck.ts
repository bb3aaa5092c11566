#!/usr/bin/env node
import { loadConfig } from './config.js';
import { probeHealth } from './health-probe.js';

/**
 * `HEALTHCHECK CMD ["node", "dist/healthcheck.js"]`: exit 0 when http://127.0.0.1:$PORT/healthz
 * answers 200 `{"status":"ok"}` within 3 s, else 1 (Docker's convention). The server listens on
 * HOST=0.0.0.0 in the container, which includes loopback.
 */
const { port } = loadConfig();
const { healthy, detail } = await probeHealth(`http://127.0.0.1:${port}/healthz`, 3000);
process.stdout.write(`${healthy ? 'healthy' : 'unhealthy'}: ${detail}\n`);
process.exit(healthy ? 0 : 1);
