import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../../context.js';

/** The console's sections, in the order of its navigation. */
export const SECTIONS = [
  { path: '/console', label: 'Overview' },
  { path: '/console/clients', label: 'Clients' },
  { path: '/console/users', label: 'Users' },
  { path: '/console/organizations', label: 'Organizations' },
  { path: '/console/grants', label: 'Grants and tokens' },
  { path: '/console/requests', label: 'Requests' },
  { path: '/console/clock', label: 'Clock' },
  { path: '/console/faults', label: 'Faults' },
] as const;

export type Section = (typeof SECTIONS)[number]['path'];

export interface PageData {
  title: string;
  section: Section;
  [key: string]: unknown;
}

/**
 * Renders a console view inside the console's layout (navigation, CSRF token for its forms),
 * never cached: every page shows live state.
 */
export function consolePage(reply: FastifyReply, context: AppContext, view: string, data: PageData, status = 200) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .view(view, {
      ...data,
      csrf: reply.generateCsrf(),
      nav: SECTIONS,
      adminTokenSet: context.config.adminToken !== undefined,
    });
}

export function notFound(reply: FastifyReply, context: AppContext, section: Section, what: string) {
  return consolePage(reply, context, 'console-missing', { title: 'Not found', section, message: `${what} does not exist (any more).` }, 404);
}

/** A readable instant on the emulator clock: `2026-11-23 14:25:54 UTC`. */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The message of a `?done=` notice after a redirect (POST, redirect, GET), from a fixed list. */
export function noticeOf(query: unknown, messages: Record<string, (id: string) => string>): string | undefined {
  const q = (query ?? {}) as Record<string, unknown>;
  const done = typeof q.done === 'string' ? q.done : '';
  const id = typeof q.id === 'string' ? q.id.slice(0, 200) : '';
  return Object.hasOwn(messages, done) ? messages[done]?.(id) : undefined;
}

/** Where to go after a change, with its notice. */
export function doneUrl(path: string, done: string, id?: string): string {
  const query = new URLSearchParams({ done, ...(id !== undefined ? { id } : {}) });
  return `${path}?${query}`;
}
