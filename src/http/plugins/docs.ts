import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { VERSION } from '../../paths.js';
import { SECURITY_SCHEMES, TAGS } from '../schemas.js';
import { pageSecurityHeaders } from './pages.js';

/** Internals that are not part of the API: the stylesheet and the documentation itself. */
export function isUndocumented(url: string): boolean {
  return url.startsWith('/assets/') || url === '/docs' || url.startsWith('/docs/');
}

/**
 * GET /docs (SPEC §13): the OpenAPI description of every endpoint, built by @fastify/swagger from
 * the route schemas (src/http/schemas.ts), at /docs/json and /docs/yaml, and the Swagger UI page,
 * whose assets @fastify/swagger-ui serves itself (no CDN). Registered before every route, so its
 * onRoute hook sees them all. The UI loads only scripts and styles from this origin and runs no
 * inline code, so the strict CSP of the pages (pageSecurityHeaders) holds for it too.
 */
export const docs = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Askara emulator',
          version: VERSION,
          description:
            "A self-hosted OAuth2 authorization server that behaves like Askara's production API. Every JSON error is " +
            '`{error, error_description, hint}` (SPEC §5). Request bodies may be form-encoded or JSON. Back to the [start page](/).',
        },
        tags: [...TAGS],
        components: { securitySchemes: SECURITY_SCHEMES },
        // no `servers`: paths are relative to the origin the document was fetched from
      },
      transform: ({ schema, url }) => ({ schema: isUndocumented(url) ? { ...schema, hide: true } : schema, url }),
    });
    // the UI is a page: in a scope with the pages' security headers
    await app.register(async (ui) => {
      await ui.register(pageSecurityHeaders);
      await ui.register(swaggerUi, {
        routePrefix: '/docs',
        theme: { title: 'API · Askara emulator' },
        // BaseLayout: no top bar, whose Swagger logo is an SVG with an inline <style> that the strict
        // CSP of the pages (style-src 'self') refuses; nothing else on the page needs inline code
        uiConfig: { layout: 'BaseLayout', deepLinking: true, docExpansion: 'list' },
      });
    });
  },
  { name: 'docs' },
);
