import { describe, expect, it } from 'vitest';
import type { RefreshTokenRecord } from '../../../src/oauth/ports.js';
import { findRefreshTokenByValue, refreshTokenKey, refreshTokenValue } from '../../../src/oauth/refresh-token-format.js';
import { sha256 } from '../../../src/shared/random.js';

const T0 = Date.parse('2026-11-23T18:00:00Z');

function store(records: Record<string, Partial<RefreshTokenRecord>>) {
  const lookups: string[] = [];
  return {
    lookups,
    findRefreshToken(key: string) {
      lookups.push(key);
      return records[key] as RefreshTokenRecord | undefined;
    },
  };
}

describe('refresh token values and keys', () => {
  it("keeps production's shape: def50200, then 992 lowercase hex digits, the first 12 the issue time", () => {
    const value = refreshTokenValue(T0);
    expect(value).toMatch(/^def50200[0-9a-f]{992}$/);
    expect(parseInt(value.slice(8, 20), 16)).toBe(T0);
    expect(refreshTokenValue(T0).slice(20)).not.toBe(value.slice(20));
  });

  it('stores a token under its issue time and SHA-256, so keys sort by issue time, never under the value', () => {
    const values = [T0, T0 + 1, T0 + 3_600_000, Date.parse('2100-01-01T00:00:00Z')].map((t) => refreshTokenValue(t));
    const keys = values.map(refreshTokenKey);
    expect(keys.map((k) => k.length)).toEqual([76, 76, 76, 76]);
    expect(keys[0]).toBe(`${values[0]!.slice(8, 20)}${sha256(values[0]!)}`);
    expect([...keys].sort()).toEqual(keys);
    for (const [i, key] of keys.entries()) expect(key).not.toContain(values[i]!.slice(20, 36));
  });

  it('finds a token with one lookup, and a token stored before keys carried the time under its bare SHA-256', () => {
    const value = refreshTokenValue(T0);
    const current = store({ [refreshTokenKey(value)]: { familyId: 'new' } });
    expect(findRefreshTokenByValue(current, value)?.familyId).toBe('new');
    expect(current.lookups).toHaveLength(1);

    const legacy = `def50200${'ab'.repeat(496)}`;
    const old = store({ [sha256(legacy)]: { familyId: 'old' } });
    expect(findRefreshTokenByValue(old, legacy)?.familyId).toBe('old');
    expect(old.lookups).toEqual([refreshTokenKey(legacy), sha256(legacy)]);
  });

  it('finds nothing for a value it never issued, whatever its shape', () => {
    for (const value of ['', 'def50200', 'not-a-token', `def50200${'0'.repeat(992)}`]) {
      const empty = store({});
      expect(findRefreshTokenByValue(empty, value)).toBeUndefined();
      expect(empty.lookups.length).toBeLessThanOrEqual(2);
    }
  });
});
