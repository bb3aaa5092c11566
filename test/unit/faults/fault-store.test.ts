import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../src/faults/fault-spec.js';
import { FaultStore } from '../../../src/faults/fault-store.js';

describe('FaultStore', () => {
  it('gives each request a use of the oldest matching fault until it is used up', () => {
    const store = new FaultStore();
    const first = store.add(parseFaultSpec({ path: '/me', status: 500, times: 2 }), 0);
    const second = store.add(parseFaultSpec({ method: 'GET', status: 503 }), 0);
    expect(store.take('GET', '/me')?.id).toBe(first.id);
    expect(store.take('POST', '/me')).toMatchObject({ id: first.id, remaining: 0 });
    expect(store.take('POST', '/me')).toBeUndefined();
    expect(store.take('get', '/healthz')?.id).toBe(second.id);
    expect(store.list()).toEqual([]);
  });

  it('never matches the control API or the console, even with a path-less fault', () => {
    const store = new FaultStore();
    store.add(parseFaultSpec({ status: 500 }), 0);
    expect(store.take('GET', '/_emulator/faults')).toBeUndefined();
    expect(store.take('GET', '/_emulator')).toBeUndefined();
    expect(store.take('GET', '/console/faults')).toBeUndefined();
    expect(store.take('POST', '/console')).toBeUndefined();
    expect(store.take('GET', '/_emulatorx')?.status).toBe(500);
  });

  it('removes one fault by id or all of them', () => {
    const store = new FaultStore();
    const a = store.add(parseFaultSpec({ status: 500 }), 0);
    store.add(parseFaultSpec({ status: 502 }), 0);
    expect(store.remove('flt_unknown')).toBe(false);
    expect(store.remove(a.id)).toBe(true);
    expect(store.clear()).toBe(1);
    expect(store.list()).toEqual([]);
  });

  it('returns copies, so callers cannot change the remaining count', () => {
    const store = new FaultStore();
    store.add(parseFaultSpec({ status: 500, times: 2 }), 0);
    const [listed] = store.list();
    if (listed) listed.remaining = 99;
    expect(store.list()[0]?.remaining).toBe(2);
  });
});
