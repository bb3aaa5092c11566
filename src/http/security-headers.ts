/**
 * Security headers of every JSON answer (OWASP REST Security Cheat Sheet): no sniffing, no framing,
 * nothing to load. Pages get helmet's set instead (plugins/pages.ts), in a scope of their own.
 */
export const API_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
} as const;
