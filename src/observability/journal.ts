/** One request as GET /_emulator/requests shows it (SPEC §8). */
export interface JournalEntry {
  id: string;
  /** When it arrived, ISO-8601 on the emulator clock. */
  at: string;
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  durationMs: number;
  clientId: string | null;
  grantType: string | null;
  error: string | null;
  hint: string | null;
}

/** The most recent requests, newest first, at most `capacity` kept (a ring buffer). */
export class RequestJournal {
  #entries: JournalEntry[] = [];
  #next = 0;

  constructor(readonly capacity = 1000) {}

  record(entry: JournalEntry): void {
    if (this.#entries.length < this.capacity) this.#entries.push(entry);
    else this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Up to `limit` entries, newest first. */
  recent(limit: number): JournalEntry[] {
    const n = this.#entries.length;
    const out: JournalEntry[] = [];
    for (let i = 1; i <= Math.min(limit, n); i += 1) {
      const entry = this.#entries[(this.#next - i + n) % n];
      if (entry) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.#entries = [];
    this.#next = 0;
  }
}
