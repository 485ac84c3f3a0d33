// A clock tests move by hand: `advance(ms)` runs every timer that falls due, in
// order, without sleeping. Used by the policy, dispatcher and subscription tests.

import type { Clock } from './clock.ts';

interface PendingTimer {
  handle: number;
  at: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #nextHandle = 1;
  #timers: PendingTimer[] = [];

  constructor(start = Date.UTC(2025, 0, 6, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.#nextHandle++;
    this.#timers.push({ handle, at: this.#now + Math.max(0, ms), fn });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.handle !== handle);
  }

  /** Timers not yet run. */
  get pending(): number {
    return this.#timers.length;
  }

  /** When the earliest pending timer is due, or null. */
  get nextDueAt(): number | null {
    return this.#timers.reduce<number | null>((min, t) => (min === null || t.at < min ? t.at : min), null);
  }

  /** Move time forward, running timers (including ones they schedule) as they fall due. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.handle - b.handle)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = target;
  }
}
