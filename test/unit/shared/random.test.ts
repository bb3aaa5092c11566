import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../../src/shared/random.js';

describe('timeOrderedId', () => {
  it('sorts by the time it was made, as SQLite compares text (byte order), across digit-count changes', () => {
    const times = [0, 35, 36, 1_000, Date.parse('2026-11-23T18:00:00Z'), Date.parse('2026-11-23T18:00:00.001Z'), Date.parse('2100-01-01T00:00:00Z')];
    const ids = times.map((t) => timeOrderedId(t));
    const byteOrder = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(byteOrder).toEqual(ids);
  });

  it('starts with a fixed-width base-36 time and ends with 128 random bits, URL-safe', () => {
    const now = Date.parse('2026-11-23T18:00:00Z');
    const id = timeOrderedId(now);
    expect(id).toMatch(/^[0-9a-z]{9}[A-Za-z0-9_-]{22}$/);
    expect(parseInt(id.slice(0, 9), 36)).toBe(now);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(now)));
    expect(same.size).toBe(1000);
  });
});
