// The events the list shows: the store's events that pass the filter, newest first.
// Kept incrementally: live events are tested as they arrive, and only a change of
// filter (or history arriving) walks the whole store again. Grouped by topic, the
// list holds each topic's newest match, and says how many more the topic holds.

import { compileFilter, type CompiledFilter, type EventFilter, isGrouped, NO_FILTER } from './event-filter.ts';
import type { EventStore, StoredEvent } from './event-store.ts';

const groupKey = (stored: StoredEvent): string => `${stored.server}\u0000${stored.event.data.topic}`;

export class FilteredView {
  readonly #store: EventStore;
  #filter: EventFilter = NO_FILTER;
  #compiled: CompiledFilter = compileFilter(NO_FILTER);
  /** Matching events, oldest first (the list reads it from the end); grouped, each topic's newest. */
  #matches: StoredEvent[] = [];
  #grouped = false;
  /** Grouped: each topic's newest match and how many matches it has. */
  #groups = new Map<string, { latest: StoredEvent; count: number }>();

  constructor(store: EventStore, filter: EventFilter = NO_FILTER) {
    this.#store = store;
    this.setFilter(filter);
  }

  get filter(): EventFilter {
    return this.#filter;
  }

  get grouped(): boolean {
    return this.#grouped;
  }

  /** Grouped: how many more matches the row's topic holds besides the one shown; else 0. */
  moreOf(stored: StoredEvent): number {
    if (!this.#grouped) return 0;
    return (this.#groups.get(groupKey(stored))?.count ?? 1) - 1;
  }

  get topicProblem(): string | null {
    return this.#compiled.topicProblem;
  }

  get length(): number {
    return this.#matches.length;
  }

  /** Row `index` of the list: 0 is the newest match. */
  at(index: number): StoredEvent | undefined {
    return this.#matches[this.#matches.length - 1 - index];
  }

  /** The list row of an event, or -1 when it is filtered out (or no longer held). */
  indexOf(stored: StoredEvent): number {
    const position = binarySearchBySeq(this.#matches, stored.seq);
    return position < 0 || this.#matches[position] !== stored ? -1 : this.#matches.length - 1 - position;
  }

  /** Every matching event, newest first (what "export the current view" writes). */
  newestFirst(): StoredEvent[] {
    return this.#matches.slice().reverse();
  }

  setFilter(filter: EventFilter): void {
    this.#filter = filter;
    this.#compiled = compileFilter(filter);
    this.rebuild();
  }

  /** Walk the whole store again (after history arrived, or the store was cleared). */
  rebuild(): void {
    const { matches } = this.#compiled;
    this.#grouped = isGrouped(this.#filter);
    this.#groups.clear();
    const all = this.#compiled.isEmpty ? this.#store.items.slice() : this.#store.items.filter(matches);
    if (!this.#grouped) {
      this.#matches = all;
      return;
    }
    for (const stored of all) {
      const key = groupKey(stored);
      const group = this.#groups.get(key);
      if (group) {
        group.count++;
        if (stored.seq > group.latest.seq) group.latest = stored;
      } else this.#groups.set(key, { latest: stored, count: 1 });
    }
    this.#matches = [...this.#groups.values()].map((g) => g.latest).sort((a, b) => a.seq - b.seq);
  }

  /**
   * Live events the store just accepted (newer than everything held). Returns how
   * many of them the list shows, so the list can keep its place when scrolled down.
   */
  addLive(added: readonly StoredEvent[]): number {
    let shown = 0;
    for (const stored of added) {
      if (!this.#compiled.matches(stored)) continue;
      if (this.#grouped) {
        const key = groupKey(stored);
        const group = this.#groups.get(key);
        if (group) {
          // The topic's row moves to the top with its newest event.
          const at = binarySearchBySeq(this.#matches, group.latest.seq);
          if (at >= 0) this.#matches.splice(at, 1);
          group.latest = stored;
          group.count++;
        } else this.#groups.set(key, { latest: stored, count: 1 });
      }
      this.#matches.push(stored);
      shown++;
    }
    this.#dropTrimmed();
    return shown;
  }

  /** The store forgets its oldest events past capacity; so does the view. */
  #dropTrimmed(): void {
    const oldest = this.#store.oldestSeq;
    let cut = 0;
    while (cut < this.#matches.length && (this.#matches[cut]?.seq ?? oldest) < oldest) cut++;
    if (cut === 0) return;
    for (const dropped of this.#matches.splice(0, cut)) this.#groups.delete(groupKey(dropped));
  }
}

function binarySearchBySeq(items: readonly StoredEvent[], seq: number): number {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = items[mid]?.seq ?? 0;
    if (value === seq) return mid;
    if (value < seq) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
