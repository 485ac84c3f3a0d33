// Every event the window holds, oldest first, each once. Events are keyed by server
// and id: ids are unique per server (docs/protocol.md, "Resume: ids and gaps"), so a replay
// after a reconnect, or a live event that is also in the loaded history, is dropped
// instead of doubled. Bounded: past `capacity` the oldest are forgotten.

import type { ReceivedEvent } from '../../main/ipc/bridge.ts';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { levelOf, searchTextOf, type EventLevel } from '../../server/protocol/event-vocabulary.ts';

export class StoredEvent {
  readonly server: string;
  readonly event: HeraldEvent;
  readonly level: EventLevel;
  /** Order in the store: history gets ever smaller numbers, live events ever larger. */
  readonly seq: number;
  /** What the search box looks in; computed on the first search (see searchTextFor). */
  searchText: string | null = null;

  constructor(server: string, event: HeraldEvent, seq: number) {
    this.server = server;
    this.event = event;
    this.level = levelOf(event);
    this.seq = seq;
  }

  /** `server` and `id`, unique in the store. Computed when asked (rows in view, the selection), not for every event held. */
  get key(): string {
    return eventKey(this.server, this.event.id);
  }
}

export const DEFAULT_CAPACITY = 200_000;

/** The search text of an event, computed once: opening 100,000 events should not pay for a search nobody made. */
export function searchTextFor(stored: StoredEvent): string {
  return (stored.searchText ??= searchTextOf(stored.event));
}

export function eventKey(server: string, id: string): string {
  return `${server}\u0000${id}`;
}

export class EventStore {
  readonly capacity: number;
  #items: StoredEvent[] = [];
  /** Server, then event id: two small keys hash faster than one joined string (100,000 on open). */
  #byServer = new Map<string, Map<string, StoredEvent>>();
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
    const cut = key.indexOf('\u0000');
    return cut < 0 ? undefined : this.find(key.slice(0, cut), key.slice(cut + 1));
  }

  find(server: string, id: string): StoredEvent | undefined {
    return this.#byServer.get(server)?.get(id);
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
    this.#byServer.clear();
  }

  #make(received: ReceivedEvent, seq: number): StoredEvent | null {
    let ids = this.#byServer.get(received.server);
    if (!ids) {
      ids = new Map();
      this.#byServer.set(received.server, ids);
    }
    if (ids.has(received.event.id)) return null;
    const stored = new StoredEvent(received.server, received.event, seq);
    ids.set(received.event.id, stored);
    return stored;
  }

  #trim(): void {
    const excess = this.#items.length - this.capacity;
    if (excess <= 0) return;
    for (const dropped of this.#items.splice(0, excess)) this.#byServer.get(dropped.server)?.delete(dropped.event.id);
  }
}
