import { describe, expect, it } from 'vitest';
import { RequestJournal, type JournalEntry } from '../../../src/observability/journal.js';

const entry = (n: number): JournalEntry => ({
  id: `req-${n}`,
  at: '2026-01-15T09:00:00.000Z',
  method: 'GET',
  path: '/healthz',
  status: 200,
  durationMs: 1,
  clientId: null,
  grantType: null,
  error: null,
  hint: null,
});

describe('RequestJournal', () => {
  it('returns the newest entries first, up to the limit', () => {
    const journal = new RequestJournal(5);
    for (let n = 1; n <= 3; n += 1) journal.record(entry(n));
    expect(journal.recent(50).map((e) => e.id)).toEqual(['req-3', 'req-2', 'req-1']);
    expect(journal.recent(2).map((e) => e.id)).toEqual(['req-3', 'req-2']);
  });

  it('keeps only the most recent `capacity` entries', () => {
    const journal = new RequestJournal(1000);
    for (let n = 1; n <= 2500; n += 1) journal.record(entry(n));
    const all = journal.recent(5000);
    expect(all).toHaveLength(1000);
    expect([all[0]?.id, all[999]?.id]).toEqual(['req-2500', 'req-1501']);
  });

  it('is empty after clear', () => {
    const journal = new RequestJournal(3);
    for (let n = 1; n <= 4; n += 1) journal.record(entry(n));
    journal.clear();
    expect(journal.recent(10)).toEqual([]);
    journal.record(entry(5));
    expect(journal.recent(10).map((e) => e.id)).toEqual(['req-5']);
  });
});
