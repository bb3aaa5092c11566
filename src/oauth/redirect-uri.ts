import type { Client } from './ports.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

function withoutPort(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
    // compare the URI as written, minus its port: `http://127.0.0.1:51234/cb` → `http://127.0.0.1/cb`
    return uri.replace(/^(http:\/\/(?:127\.0\.0\.1|\[::1\]))(:\d+)?(?=[/?]|$)/, '$1');
  } catch {
    return undefined;
  }
}

/**
 * The registered redirect URI that `requested` names, or undefined. Matching is exact, character
 * for character (RFC 9700 §2.1), with one exception from RFC 8252 §7.3: a public client's loopback
 * IP redirect URI accepts any port, since a desktop app listens on whatever port is free.
 */
export function matchRedirectUri(client: Client, requested: string): string | undefined {
  if (client.redirectUris.includes(requested)) return requested;
  if (!client.isPublic) return undefined;
  const portless = withoutPort(requested);
  if (portless === undefined) return undefined;
  return client.redirectUris.some((registered) => withoutPort(registered) === portless) ? requested : undefined;
}
