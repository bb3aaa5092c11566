import { randomId } from '../shared/random.js';

const TTL_MS = 10 * 60 * 1000;
const MAX_KEPT = 50;

/**
 * A new client secret waits here between the form's POST and the page that shows it (POST,
 * redirect, GET): taken once by a random key, gone after 10 minutes or at reset. Only its hash is
 * stored in the database.
 */
export class OneTimeSecrets {
  #items = new Map<string, { clientId: string; secret: string; expiresAt: number }>();

  put(clientId: string, secret: string, now: number): string {
    const key = randomId(18);
    this.#items.set(key, { clientId, secret, expiresAt: now + TTL_MS });
    // Map keeps insertion order: drop the oldest beyond the bound
    for (const old of this.#items.keys()) {
      if (this.#items.size <= MAX_KEPT) break;
      this.#items.delete(old);
    }
    return key;
  }

  /** The secret put under `key` for that client, once; undefined when unknown, taken or expired. */
  take(key: string, clientId: string, now: number): string | undefined {
    const item = this.#items.get(key);
    if (!item || item.clientId !== clientId) return undefined;
    this.#items.delete(key);
    return item.expiresAt > now ? item.secret : undefined;
  }

  clear(): void {
    this.#items.clear();
  }
}
