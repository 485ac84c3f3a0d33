// Every event the window holds, oldest first, each once. Events are keyed by server
// and id: ids are unique per server (docs/protocol.md, "Resume: ids and gaps"), so a replay
// after a reconnect, or a live event that is also in the loaded history, is dropped
// instead of doubled. Bounded: past `capacity` the oldest are forgotten.
// A server whose log was reset (an `unknown-resume-point` gap) issues its ids again
// for new events: from that gap on its events are keyed in a new generation, and the
// older ones stay listed under keys of their own.

import type { ReceivedEvent } from '../../main/app/ipc/bridge.ts';
import { isUnknownResumeGap, type HeraldEvent } from '../../server/protocol/events.ts';
import { levelOf, searchTextOf, type EventLevel } from '../../server/protocol/event-vocabulary.ts';

export class StoredEvent {
  readonly server: string;
  readonly event: HeraldEvent;
  readonly level: EventLevel;
  /** Order in the store: history gets ever smaller numbers, live events ever larger. */
  readonly seq: number;
  /** Which log of its server it came from: 0, then one more after each reset of that log. */
  readonly generation: number;
  /** What the search box looks in; made in idle time after the event arrives (search-warmer.ts), or by the first search that reaches it (searchTextFor). */
  searchText: string | null = null;

  constructor(server: string, event: HeraldEvent, seq: number, generation = 0) {
    this.server = server;
    this.event = event;
    this.level = levelOf(event);
    this.seq = seq;
    this.generation = generation;
  }

  /** `server` and `id` (and the generation after a reset), unique in the store. Computed when asked (rows in view, the selection), not for every event held. */
  get key(): string {
    return eventKey(this.server, this.event.id, this.generation);
  }
}

export const DEFAULT_CAPACITY = 200_000;

/** The search text of an event, computed once, and not while opening: 100,000 events open first, their search text comes in idle time. */
export function searchTextFor(stored: StoredEvent): string {
  return (stored.searchText ??= searchTextOf(stored.event));
}

export function eventKey(server: string, id: string, generation = 0): string {
  return generation === 0 ? `${server}\u0000${id}` : `${server}\u0000${id}\u0000${generation}`;
}

export class EventStore {
  readonly capacity: number;
  #items: StoredEvent[] = [];
  /** Server, then event id (current generation): two small keys hash faster than one joined string (100,000 on open). */
  #byServer = new Map<string, Map<string, StoredEvent>>();
  /** Per server: its generation, and the resume id of the reset that started it (one gap comes per topic). */
  readonly #generations = new Map<string, { generation: number; since: string }>();
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
    const [server, id] = key.split('\u0000');
    if (server === undefined || id === undefined) return undefined;
    const found = this.find(server, id);
    return found?.key === key ? found : undefined;
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
    const { server, event } = received;
    let ids = this.#byServer.get(server);
    const current = this.#generations.get(server);
    if (isUnknownResumeGap(event) && current?.since !== event.data.since) {
      // The server's log was reset: what follows may reuse ids held here.
      this.#generations.set(server, { generation: (current?.generation ?? 0) + 1, since: event.data.since });
      ids = undefined;
    }
    if (!ids) {
      ids = new Map();
      this.#byServer.set(server, ids);
    }
    if (ids.has(event.id)) return null;
    const stored = new StoredEvent(server, event, seq, this.#generations.get(server)?.generation ?? 0);
    ids.set(event.id, stored);
    return stored;
  }

  #trim(): void {
    const excess = this.#items.length - this.capacity;
    if (excess <= 0) return;
    for (const dropped of this.#items.splice(0, excess)) {
      const ids = this.#byServer.get(dropped.server);
      if (ids?.get(dropped.event.id) === dropped) ids.delete(dropped.event.id);
    }
  }
}
