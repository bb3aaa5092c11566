import { randomId } from '../shared/random.js';
import { isControlPath, type FaultSpec } from './fault-spec.js';

export interface Fault extends FaultSpec {
  id: string;
  /** How many more matching requests get it. */
  remaining: number;
  /** Emulator-clock milliseconds. */
  createdAt: number;
}

/**
 * The pending faults of SPEC §8, in memory (cleared by reset). `take` claims a use synchronously,
 * before any await, so a fault with `times: N` answers exactly N requests even when many arrive
 * at once (Node runs one JavaScript callback at a time).
 */
export class FaultStore {
  #faults: Fault[] = [];

  add(spec: FaultSpec, now: number): Fault {
    const fault: Fault = { ...spec, id: `flt_${randomId(9)}`, remaining: spec.times, createdAt: now };
    this.#faults.push(fault);
    return { ...fault };
  }

  /** Pending faults, oldest first (the order in which they match). */
  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length < before;
  }

  /** Removes every fault; returns how many there were. */
  clear(): number {
    const n = this.#faults.length;
    this.#faults = [];
    return n;
  }

  /** Claims one use of the oldest pending fault matching this request, if any. */
  take(method: string, path: string): Fault | undefined {
    if (this.#faults.length === 0 || isControlPath(path)) return undefined;
    const m = method.toUpperCase();
    const index = this.#faults.findIndex((f) => (f.method === null || f.method === m) && (f.path === null || f.path === path));
    const fault = this.#faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(index, 1);
    return { ...fault };
  }
}
