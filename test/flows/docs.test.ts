import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/http/schemas.js';
import { DEMO_SEED } from '../../src/seed/demo.js';
import { buildTestApp, ISSUER } from '../helpers/app.js';
import { ALICE, BRUNO, TEST_SEED, WEB } from '../helpers/fixtures.js';

type Operation = { tags?: string[]; summary?: string; responses?: Record<string, unknown>; parameters?: Array<{ name: string; in: string }>; security?: Array<Record<string, string[]>> };
type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

/**
 * Every route the app registers, as "METHOD /path/{param}", read from Fastify's own route tree
 * (printRoutes), not from the swagger plugin: a route added without a schema still shows up here.
 * HEAD routes are the automatic twins of GET routes; a wildcard is written as OpenAPI's `{*}`.
 */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(m[2] ?? '');
    const path = stack.join('').replace(/\/\//g, '/').replace(/:(\w+)/g, '{$1}').replace(/\/?\*$/, '/{*}');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) routes.push(`${method} ${path}`);
  }
  return [...new Set(routes)].sort();
}

function documentedRoutes(spec: OpenApi): string[] {
  return Object.entries(spec.paths)
    .flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

const isInternal = (route: string) => / \/(assets|docs)(\/|$)/.test(route);

async function spec(app: FastifyInstance): Promise<OpenApi> {
  const res = await app.inject({ url: '/docs/json' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.json() as OpenApi;
}

describe('GET /docs (SPEC §13)', () => {
  it('serves an OpenAPI 3 document whose tags, security schemes, references and path parameters all resolve', async () => {
    const { app } = await buildTestApp();
    const doc = await spec(app);
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Askara emulator', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(doc.tags.map((t) => t.name)).toEqual(TAGS.map((t) => t.name));
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops).filter(([m]) => METHODS.includes(m))) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(Object.keys(op.responses ?? {}), where).not.toEqual([]);
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((p) => p[1])) {
          expect(op.parameters?.some((p) => p.in === 'path' && p.name === name), `${where} declares {${name}}`).toBe(true);
        }
        for (const scheme of (op.security ?? []).flatMap((s) => Object.keys(s))) expect(doc.components.securitySchemes, where).toHaveProperty(scheme);
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? '');
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref);
  });

  it('documents every route the app registers, each with a tag and a summary, and leaves out the stylesheet and itself', async () => {
    const { app } = await buildTestApp();
    const doc = await spec(app);
    const registered = registeredRoutes(app);
    // the parse of the route tree must itself work, or this test would prove nothing
    expect(registered).toEqual(expect.arrayContaining(['POST /oauth2/token', 'GET /me', 'DELETE /_emulator/faults/{id}', 'GET /', 'GET /assets/style.css', 'GET /docs/json']));
    expect(documentedRoutes(doc)).toEqual(registered.filter((r) => !isInternal(r)));
    const known = new Set(TAGS.map((t) => t.name));
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops).filter(([m]) => METHODS.includes(m))) {
        expect(op.tags?.length, `${method} ${path} has a tag`).toBeGreaterThan(0);
        expect(op.tags?.every((t) => known.has(t as never)), `${method} ${path}: ${op.tags}`).toBe(true);
        expect(op.summary, `${method} ${path} has a summary`).toBeTruthy();
      }
    }
  });

  it('describes the token endpoint: both body encodings, the grant types, the exact success body and the error body', async () => {
    const { app } = await buildTestApp();
    const token = (await spec(app)).paths['/oauth2/token']?.post as Operation & { requestBody: { content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }> } };
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    expect(token.requestBody.content['application/json']?.schema.properties.grant_type?.enum).toContain('urn:ietf:params:oauth:grant-type:device_code');
    expect(token.responses).toHaveProperty('200');
    expect(JSON.stringify(token.responses?.['400'])).toContain('"hint"');
  });

  it('also serves the description as YAML, and a browsable page whose assets come from this server', async () => {
    const { app } = await buildTestApp();
    const yaml = await app.inject({ url: '/docs/yaml' });
    expect(yaml.statusCode).toBe(200);
    expect(yaml.body).toMatch(/^openapi: 3\./m);
    const page = await app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThan(3);
    for (const asset of assets) {
      expect(asset, 'no CDN').toMatch(/^\/docs\/static\//);
      expect((await app.inject({ url: asset })).statusCode, asset).toBe(200);
    }
    // the page keeps the strict CSP of every page: it needs no inline script
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('route schemas only document (the endpoints keep their own checks and answers)', () => {
  it('keeps the SPEC §5 hints where a validating schema would coerce or answer its own message', async () => {
    const { app } = await buildTestApp();
    // Ajv would coerce "30" to 30 and accept it
    const clock = await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advance: '30' } });
    expect(clock.statusCode).toBe(400);
    expect(clock.json()).toMatchObject({ error: 'invalid_request', hint: 'advance must be a number of seconds (negative moves back), within 100 years' });
    const limit = await app.inject({ url: '/_emulator/requests?limit=0' });
    expect(limit.json().hint).toMatch(/^`limit` must be a whole number from 1 to 1000/);
    const token = await app.inject({ method: 'POST', url: '/oauth2/token', payload: new URLSearchParams({ client_id: WEB.clientId }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(token.statusCode).toBe(400);
    expect(token.json().hint).toMatch(/grant_type/);
  });

  it('leaves the token response exactly as the endpoint writes it: four keys, in order', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({
      method: 'POST',
      url: '/_emulator/tokens',
      payload: { client_id: WEB.clientId, user: ALICE.email, extra: 'ignored' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^\{"token_type":"Bearer","expires_in":3600,"access_token":"[^"]+","refresh_token":"def50200[0-9a-f]+"\}$/);
  });
});

describe('GET / (SPEC §13)', () => {
  it('shows the issuer, the links to the playground, the console and the docs, the users and the clients', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<code>${ISSUER}</code>`);
    for (const href of ['/playground', '/console', '/docs']) expect(res.body).toContain(`<a href="${href}">`);
    for (const user of [ALICE, BRUNO]) expect(res.body).toContain(`<code>${user.email}</code>`);
    for (const client of TEST_SEED.clients ?? []) expect(res.body).toContain(`<code>${client.clientId}</code>`);
    // a seed file's passwords are known only as hashes, and no secret is shown
    expect(res.body).not.toContain(ALICE.password);
    expect(res.body).not.toContain(WEB.clientSecret);
    expect(res.body).toContain('from your seed file');
  });

  it('shows the demo password next to each demo user', async () => {
    const { app } = await buildTestApp({ seed: DEMO_SEED });
    const body = (await app.inject({ url: '/' })).body;
    for (const user of DEMO_SEED.users ?? []) {
      expect(body).toMatch(new RegExp(`<code>${user.email}</code></td>\\s*<td[^>]*><code>${user.password}</code></td>`));
    }
    expect(body).not.toContain('demo-web-secret');
  });

  it('does not show the demo password for a demo e-mail whose password is another', async () => {
    const [john, jane] = DEMO_SEED.users ?? [];
    if (!john || !jane) throw new Error('the demo seed has two users');
    const seed = { ...DEMO_SEED, users: [{ ...john, password: 'changed-by-a-seed-file' }, jane] };
    const html = (await (await buildTestApp({ seed })).app.inject({ url: '/' })).body;
    expect(html).toMatch(new RegExp(`<code>${john.email}</code></td>\\s*<td[^>]*><span class="muted">from your seed file</span>`));
    expect(html).toMatch(new RegExp(`<code>${jane.email}</code></td>\\s*<td[^>]*><code>askara-demo</code>`));
    expect(html).not.toContain('changed-by-a-seed-file');
  });
});
