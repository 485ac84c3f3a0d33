// A Clock whose time moves only when a test says so, for the server's and the desktop's
// tests alike. Timers fire, in due order, while `advance` walks the time forward.
import type { Clock } from '../../server/protocol/clock.ts';

interface PendingTimer {
  id: number;
  due: number;
  fn: () => void;
  everyMs: number | null;
}

export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();

  constructor(start = Date.UTC(2025, 0, 1, 12, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    return this.add(fn, ms, null);
  }

  setInterval(fn: () => void, ms: number): unknown {
    return this.add(fn, ms, Math.max(1, ms));
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  clearInterval(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers not yet fired (intervals count once). */
  get pending(): number {
    return this.timers.size;
  }

  /** Move time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.timers.values()].filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.time = Math.max(this.time, next.due);
      if (next.everyMs === null) this.timers.delete(next.id);
      else next.due += next.everyMs;
      next.fn();
    }
    this.time = end;
  }

  private add(fn: () => void, ms: number, everyMs: number | null): number {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.time + Math.max(0, ms), fn, everyMs });
    return id;
  }
}
