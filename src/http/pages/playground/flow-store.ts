import type { Clock } from '../../../shared/clock.js';
import { randomId } from '../../../shared/random.js';
import type { HttpExchange } from './exchange.js';
import type { FlowId, StepId } from './flows.js';

/** What the browser got back on /playground/callback. */
export interface CallbackRecord {
  code?: string | undefined;
  state?: string | undefined;
  iss?: string | undefined;
  error?: string | undefined;
  errorDescription?: string | undefined;
}

/** One flow in progress: the secrets a client would keep, and each step's last exchange. */
export interface FlowState {
  state?: string;
  codeVerifier?: string;
  scope?: string;
  authorizationUrl?: string;
  callback?: CallbackRecord;
  deviceCode?: string;
  userCode?: string;
  verificationUriComplete?: string;
  accessToken?: string;
  refreshToken?: string;
  spentRefreshToken?: string;
  steps: Partial<Record<StepId, { exchange?: HttpExchange; attempts: number }>>;
}

interface Entry {
  expiresAt: number;
  flows: Partial<Record<FlowId, FlowState>>;
}

/** How long a browser's playground state lives after its last use, on the emulator clock. */
export const PLAYGROUND_TTL_SECONDS = 12 * 3600;
/** Oldest dropped first past this many browsers, so memory stays bounded. */
const MAX_ENTRIES = 500;

/**
 * The playground's state per browser, in memory on the server, keyed by a random id kept in an
 * HttpOnly cookie: PKCE verifiers, state values and tokens never reach the page's HTML forms and
 * are never logged. Cleared by the control API's reset (whose tokens are gone anyway).
 */
export class FlowStore {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** The flows of a browser (a new, empty set for an unknown or expired id). */
  open(id: string | undefined): { id: string; flows: Partial<Record<FlowId, FlowState>> } {
    const now = this.clock.now();
    let entry = id !== undefined && id.length <= 64 ? this.#entries.get(id) : undefined;
    if (!entry || entry.expiresAt <= now) entry = undefined;
    const key = entry && id !== undefined ? id : randomId(24);
    const kept = entry ?? { expiresAt: 0, flows: {} };
    kept.expiresAt = now + PLAYGROUND_TTL_SECONDS * 1000;
    this.#entries.delete(key); // re-insert: the Map's order is then least recently used first
    this.#entries.set(key, kept);
    for (const old of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES) break;
      this.#entries.delete(old);
    }
    return { id: key, flows: kept.flows };
  }

  /** The flows of a browser, if it has any (no new entry is made). */
  peek(id: string | undefined): Partial<Record<FlowId, FlowState>> | undefined {
    const entry = id !== undefined ? this.#entries.get(id) : undefined;
    return entry && entry.expiresAt > this.clock.now() ? entry.flows : undefined;
  }

  clear(): void {
    this.#entries.clear();
  }
}
