import { describe, expect, it } from 'vitest';
import { randomText, timeOrderedId } from '../../../src/shared/random.js';

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

describe('randomText', () => {
  it('gives the asked number of bytes in the asked encoding', () => {
    expect(randomText(16, 'base64url')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomText(40, 'hex')).toMatch(/^[0-9a-f]{80}$/);
    expect(randomText(490, 'hex')).toMatch(/^[0-9a-f]{980}$/);
    // over 1 KiB: straight from the CSPRNG
    expect(Buffer.from(randomText(4096, 'base64url'), 'base64url')).toHaveLength(4096);
  });

  it('never hands out the same bytes twice, across many refills of its block', () => {
    // 3,000 × 16 bytes and 200 × 490 bytes: about 140 KiB, so the 8 KiB block is refilled many times
    // and draws straddle its end
    const small = Array.from({ length: 3000 }, () => randomText(16, 'base64url'));
    const large = Array.from({ length: 200 }, () => randomText(490, 'hex'));
    expect(new Set(small).size).toBe(small.length);
    expect(new Set(large).size).toBe(large.length);
    // no 16-byte draw reappears inside a large one (a block read twice would show here)
    const hexOfSmall = small.map((s) => Buffer.from(s, 'base64url').toString('hex'));
    const joined = large.join('|');
    expect(hexOfSmall.filter((h) => joined.includes(h))).toEqual([]);
  });
});
