import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { CONTAINER_CMD, DOCKERFILE } from '../helpers/container.js';

// No Docker engine runs here: these check the files as text and run what can run on the host.
const compose = parse(readFileSync(resolve(PACKAGE_ROOT, 'docker-compose.yml'), 'utf8'));
const dockerfile = DOCKERFILE;
const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+ /.test(l));

describe('docker-compose.yml (SPEC §12)', () => {
  const askara = compose.services.askara;

  it('builds the service askara from the Dockerfile, on port 8080, with ISSUER set', () => {
    expect(askara.build).toBe('.');
    expect(askara.ports).toEqual(['8080:8080']);
    expect(askara.environment.ISSUER).toBe('http://localhost:8080');
  });

  it('keeps the database in a named volume at /data and health-checks with node', () => {
    expect(askara.volumes).toContain('askara-data:/data');
    expect(Object.keys(compose.volumes)).toEqual(['askara-data']);
    expect(askara.healthcheck).toMatchObject({ test: ['CMD', 'node', 'dist/healthcheck.js'], interval: '10s', timeout: '5s', retries: 3 });
  });

  it('shows an optional seed mount and an app that reaches the emulator by service name', () => {
    const text = readFileSync(resolve(PACKAGE_ROOT, 'docker-compose.yml'), 'utf8');
    expect(text).toContain('# ASKARA_SEED: /seed/seed.json');
    expect(text).toContain('# - ./seed.json:/seed/seed.json:ro');
    const app = compose.services.app;
    expect(app.depends_on).toEqual({ askara: { condition: 'service_healthy' } });
    expect(app.environment).toMatchObject({ ASKARA_INTERNAL_URL: 'http://askara:8080', ASKARA_ISSUER: 'http://localhost:8080' });
    expect(app.profiles).toEqual(['example']);
  });
});

describe('the example app of docker-compose.yml, run on the host', () => {
  let askara: RunningEmulator;
  beforeAll(async () => {
    // as in the container: listening on one address, with ISSUER another, and ADMIN_TOKEN set
    askara = await startEmulator({ config: { issuer: 'http://localhost:8080', adminToken: 'compose-admin' } });
  });
  afterAll(() => askara.close());

  it('mints a token at the internal URL, calls /me there, and sees the browser-facing issuer', async () => {
    const [node, ...args] = compose.services.app.command as string[];
    expect(node).toBe('node');
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      env: { ...process.env, ASKARA_INTERNAL_URL: askara.url, ASKARA_ISSUER: 'http://localhost:8080', ASKARA_ADMIN_TOKEN: 'compose-admin' },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({ me: 200, email: 'john.doe@example.com', iss: 'http://localhost:8080' });
  }, 30_000);
});

describe('Dockerfile (SPEC §12)', () => {
  it('is multi-stage on the official Node 20 slim image, with production dependencies only at runtime', () => {
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    // every stage starts from node:20-slim or from an earlier stage
    const stages: string[] = [];
    for (const from of froms) {
      const [, image, stage] = /^FROM (\S+)(?: AS (\S+))?$/.exec(from) ?? [];
      expect(image === 'node:20-slim' || stages.includes(image ?? ''), from).toBe(true);
      if (stage) stages.push(stage);
    }
    expect(froms.at(-1)).toBe('FROM node:20-slim AS runtime');
    expect(dockerfile).toContain('RUN npm ci --omit=dev');
    expect(dockerfile).toContain('COPY --from=prod-deps /app/node_modules ./node_modules');
  });

  it('runs as the non-root node user, on 0.0.0.0:8080, with /data as a volume', () => {
    expect(instructions).toContain('USER node');
    expect(instructions).toContain('EXPOSE 8080');
    expect(instructions).toContain('VOLUME /data');
    expect(dockerfile).toMatch(/ENV HOST=0\.0\.0\.0 \\\n\s+PORT=8080 \\\n\s+DATABASE_PATH=\/data\/askara\.sqlite/);
  });

  it('health-checks with node and starts the built server', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .* CMD \["node", "dist\/healthcheck\.js"\]$/m);
    expect(instructions.at(-1)).toBe('CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=256", "dist/askara-emulator.mjs"]');
  });

  it('npm start runs the bundle with the same node flags as the container', () => {
    const start = (JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start).toBe(`npm run --silent build && ${CONTAINER_CMD.join(' ')}`);
  });

  it('copies what npm run build reads into the build stage', () => {
    const build = dockerfile.slice(dockerfile.indexOf('AS build'), dockerfile.indexOf('RUN npm run build'));
    // tsc -b reads tsconfig.json and src; the bundle step runs scripts/bundle.mjs
    for (const path of ['tsconfig.json', 'src', 'scripts']) expect(build).toMatch(new RegExp(`^COPY ${path.replace('.', '\\.')} `, 'm'));
    expect((JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: { bundle: string } }).scripts.bundle).toBe('node scripts/bundle.mjs');
  });

  it('copies everything the server reads at runtime, and the build context leaves out local state', () => {
    for (const dir of ['dist', 'views', 'public', 'migrations']) expect(dockerfile).toMatch(new RegExp(`^COPY .*\\b${dir}\\b`, 'm'));
    const ignored = readFileSync(resolve(PACKAGE_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', 'data', '*.sqlite']) expect(ignored).toContain(entry);
  });
});
