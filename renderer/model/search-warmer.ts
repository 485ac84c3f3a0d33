// The search text of the events the window holds (event-store.ts, searchTextFor) is
// computed in idle time as they arrive, a slice at a time, so the first keystroke in
// the search box filters 20,000 topics without first building 20,000 strings. Work
// runs in short slices when the window is idle and yields for frames, input and
// network messages; an event the search reaches first is computed there, once.

import { searchTextFor, type StoredEvent } from './event-store.ts';

/** How long an idle moment has left (requestIdleCallback's deadline). */
export interface IdleDeadline {
  timeRemaining(): number;
}

/** requestIdleCallback in the browser, a manual one in tests. */
export type IdleScheduler = (work: (deadline: IdleDeadline) => void) => void;

/** Events computed between two looks at the clock: a few hundred microseconds. */
const SLICE = 64;
/** Leave this much of an idle moment (ms) to the browser. */
const MARGIN_MS = 1;
/**
 * Work at most this long (ms) per idle moment, however long the moment: an idle moment
 * may last 50 ms, and a frame or a network message that comes meanwhile waits for the
 * work to yield.
 */
const BUDGET_MS = 4;

export class SearchWarmer {
  readonly #schedule: IdleScheduler;
  readonly #now: () => number;
  /** Batches still to warm, and how far into the first one the work is. */
  #pending: (readonly StoredEvent[])[] = [];
  #at = 0;
  #scheduled = false;
  #stopped = false;

  constructor(schedule: IdleScheduler, now: () => number = () => performance.now()) {
    this.#schedule = schedule;
    this.#now = now;
  }

  /** Events that arrived; kept by reference, not copied (100,000 on open). */
  add(events: readonly StoredEvent[]): void {
    if (this.#stopped || events.length === 0) return;
    this.#pending.push(events);
    this.#wake();
  }

  /** Forget what is pending (the store was cleared). */
  clear(): void {
    this.#pending = [];
    this.#at = 0;
  }

  stop(): void {
    this.#stopped = true;
    this.clear();
  }

  /** Events still to warm (tests, the benchmark). */
  get pending(): number {
    return this.#pending.reduce((sum, batch) => sum + batch.length, 0) - this.#at;
  }

  #wake(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    this.#schedule((deadline) => this.#run(deadline));
  }

  #run(deadline: IdleDeadline): void {
    this.#scheduled = false;
    const until = this.#now() + BUDGET_MS;
    while (this.#pending.length > 0 && deadline.timeRemaining() > MARGIN_MS && this.#now() < until) {
      const batch = this.#pending[0]!;
      const end = Math.min(batch.length, this.#at + SLICE);
      for (let i = this.#at; i < end; i++) searchTextFor(batch[i]!);
      this.#at = end;
      if (end === batch.length) {
        this.#pending.shift();
        this.#at = 0;
      }
    }
    if (this.#pending.length > 0) this.#wake();
  }
}
