import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import helmet from '@fastify/helmet';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { PUBLIC_DIR, VIEWS_DIR } from '../../paths.js';

const DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

function serialize(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${v.join(' ')}`)
    .join('; ');
}

/**
 * A page that submits a form which ends in a redirect to the client (login, consent) must allow
 * that origin in form-action: browsers apply form-action to the redirects that follow a submission.
 */
export function allowFormRedirectTo(reply: FastifyReply, uri: string): void {
  const origin = new URL(uri).origin;
  reply.header('content-security-policy', serialize({ ...DIRECTIVES, formAction: ["'self'", origin] }));
}

/**
 * The security headers of pages (SPEC §7), from @fastify/helmet: a strict CSP (scripts and styles
 * from this origin only), frame denial, no referrer. Registered only in the scopes that serve HTML
 * (the pages, the API docs), so its per-request hooks cost the JSON answers nothing.
 */
export const pageSecurityHeaders = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
      hsts: false,
    });
  },
  { name: 'page-security-headers' },
);

/** Pages (SPEC §7, §13): their security headers, eta views with auto-escaping, and the one stylesheet of our own. */
export const pages = fp(
  async (app: FastifyInstance) => {
    await app.register(pageSecurityHeaders);
    await app.register(view, {
      engine: { eta: new Eta({ autoEscape: true, views: VIEWS_DIR }) },
      root: VIEWS_DIR,
      production: true,
    });
    const css = readFileSync(resolve(PUBLIC_DIR, 'style.css'));
    app.get('/assets/style.css', async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(css),
    );
  },
  { name: 'pages' },
);
