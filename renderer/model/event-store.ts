// Every event the window holds, oldest first, each once. Events are keyed by server
// and id: ids are unique per server (DESIGN.md, "Every event has an id"), so a replay
// after a reconnect, or a live event that is also in the loaded history, is dropped
// instead of doubled. Bounded: past `capacity` the oldest are forgotten.

import type { ReceivedEvent } from '../../main/ipc/bridge.ts';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { levelOf, searchTextOf, type DisplayLevel } from './event-description.ts';

export interface StoredEvent {
  /** `server` and `id`, unique in the store. */
  key: string;
  server: string;
  event: HeraldEvent;
  level: DisplayLevel;
  searchText: string;
  /** Order in the store: history gets ever smaller numbers, live events ever larger. */
  seq: number;
}

export const DEFAULT_CAPACITY = 200_000;

export function eventKey(server: string, id: string): string {
  return `${server}\u0000${id}`;
}

export class EventStore {
  readonly capacity: number;
  #items: StoredEvent[] = [];
  #keys = new Map<string, StoredEvent>();
  #nextLiveSeq = 0;
  #nextHistorySeq = -1;

  constructor(capacity = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`expected the store capacity to be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Oldest first. Do not modify. */
  get items(): readonly StoredEvent[] {
    return this.#items;
  }

  /** The smallest seq still held (everything older was trimmed or cleared). */
  get oldestSeq(): number {
    return this.#items[0]?.seq ?? this.#nextLiveSeq;
  }

  get(key: string): StoredEvent | undefined {
    return this.#keys.get(key);
  }

  /** Events that just arrived, in arrival order. Returns the ones that were new. */
  addLive(events: readonly ReceivedEvent[]): StoredEvent[] {
    const added: StoredEvent[] = [];
    for (const received of events) {
      const stored = this.#make(received, this.#nextLiveSeq);
      if (!stored) continue;
      this.#nextLiveSeq++;
      this.#items.push(stored);
      added.push(stored);
    }
    this.#trim();
    return added;
  }

  /** Older events from stored history, newest first. They go before everything held. */
  addHistory(newestFirst: readonly ReceivedEvent[]): StoredEvent[] {
    const older: StoredEvent[] = [];
    for (const received of newestFirst) {
      const stored = this.#make(received, this.#nextHistorySeq);
      if (!stored) continue;
      this.#nextHistorySeq--;
      older.push(stored);
    }
    older.reverse();
    this.#items = older.concat(this.#items);
    this.#trim();
    return older;
  }

  clear(): void {
    this.#items = [];
    this.#keys.clear();
  }

  #make(received: ReceivedEvent, seq: number): StoredEvent | null {
    const key = eventKey(received.server, received.event.id);
    if (this.#keys.has(key)) return null;
    const stored: StoredEvent = {
      key,
      server: received.server,
      event: received.event,
      level: levelOf(received.event),
      searchText: searchTextOf(received.event),
      seq,
    };
    this.#keys.set(key, stored);
    return stored;
  }

  #trim(): void {
    const excess = this.#items.length - this.capacity;
    if (excess <= 0) return;
    for (const dropped of this.#items.splice(0, excess)) this.#keys.delete(dropped.key);
  }
}
