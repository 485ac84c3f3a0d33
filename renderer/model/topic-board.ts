// The side list: one entry per topic (per server), with its latest value and the
// state of its stream: live, reconnecting in N s, ended with its result, failed with
// the reason. The stream state joins two sources: the topic's own events (an `end`
// finishes it) and its server's connection state from the bridge.

import type { ConnectionState, ServerStatus } from '../../main/ipc/bridge.ts';
import type { EndData } from '../../server/protocol/events.ts';
import { endResultParts, formatValue, statusParts, summaryParts, type EventLevel } from '../../server/protocol/event-vocabulary.ts';
import { partsText, user, type TextPart } from '../../server/protocol/text-parts.ts';
import type { StoredEvent } from './event-store.ts';

export interface TopicEntry {
  key: string;
  server: string;
  topic: string;
  count: number;
  /** Newest event seen (by store order). */
  last: StoredEvent;
  /** Newest update, alert or message: what "latest value" shows (see latestValueOf). */
  valueEvent: StoredEvent | null;
  level: EventLevel;
  /** The final result when the latest event is an `end`. */
  end: EndData | null;
}

export type TopicStateKind = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed' | 'closed';

export interface TopicStateView {
  kind: TopicStateKind;
  /** What the side list says, e.g. "reconnecting in 3 s". */
  text: string;
  /** The same in parts (an end's summary and a failure's reason are not Herald's words). */
  parts: readonly TextPart[];
}

function stateView(kind: TopicStateKind, parts: readonly TextPart[]): TopicStateView {
  return { kind, text: partsText(parts), parts };
}

export function topicKey(server: string, topic: string): string {
  return `${server}\u0000${topic}`;
}

const valueParts = new WeakMap<StoredEvent, TextPart[]>();

/** The topic's latest status, alert value or message as one line (the end result if it has nothing else). */
export function latestValueParts(entry: TopicEntry): readonly TextPart[] {
  const stored = entry.valueEvent;
  if (!stored) return entry.end ? endResultParts(entry.end) : [];
  let parts = valueParts.get(stored);
  if (parts === undefined) {
    const { event } = stored;
    if (event.type === 'update') parts = statusParts(event.data.status);
    else if (event.type === 'alert') parts = event.data.value === undefined ? [user(event.data.message)] : [user(event.data.metric ?? 'value'), ' ', user(formatValue(event.data.value))];
    else parts = summaryParts(event);
    valueParts.set(stored, parts);
  }
  return parts;
}

export function latestValueOf(entry: TopicEntry): string {
  return partsText(latestValueParts(entry));
}

/** Topic name, then server: the order of the side list (locale-aware, as localeCompare). */
const collator = new Intl.Collator();
const byTopic = (a: TopicEntry, b: TopicEntry): number => collator.compare(a.topic, b.topic) || collator.compare(a.server, b.server);
/** Past this many new topics in one batch (history arriving), sort once instead of inserting each. */
const RESORT_BATCH = 64;

export class TopicBoard {
  /** Server, then topic (no joined key per event: history folds in 100,000 at once). */
  #byServer = new Map<string, Map<string, TopicEntry>>();
  /** Every entry in side-list order, kept sorted as topics appear (20,000 topics are not re-sorted every frame). */
  #sorted: TopicEntry[] = [];
  #version = 0;

  get size(): number {
    return this.#sorted.length;
  }

  /** Changes whenever a topic appears or the board is cleared (not when an entry's values change). */
  get version(): number {
    return this.#version;
  }

  get(server: string, topic: string): TopicEntry | undefined {
    return this.#byServer.get(server)?.get(topic);
  }

  /** Entries sorted by topic name, then server. The board's own array: read it, do not change it. */
  entries(): readonly TopicEntry[] {
    return this.#sorted;
  }

  clear(): void {
    this.#byServer.clear();
    this.#sorted = [];
    this.#version++;
  }

  /** Fold events in (any order; store order decides which is newest). Entries are updated in place. */
  add(events: readonly StoredEvent[]): void {
    const added: TopicEntry[] = [];
    for (const stored of events) {
      const { server } = stored;
      const { topic } = stored.event.data;
      let topics = this.#byServer.get(server);
      if (!topics) {
        topics = new Map();
        this.#byServer.set(server, topics);
      }
      let entry = topics.get(topic);
      if (!entry) {
        entry = { key: topicKey(server, topic), server, topic, count: 0, last: stored, valueEvent: null, level: stored.level, end: null };
        topics.set(topic, entry);
        added.push(entry);
      }
      entry.count++;
      const type = stored.event.type;
      const carriesValue = type === 'update' || type === 'alert' || type === 'notify';
      if (carriesValue && (!entry.valueEvent || entry.valueEvent.seq < stored.seq)) entry.valueEvent = stored;
      if (stored.seq < entry.last.seq) continue;
      entry.last = stored;
      if (type !== 'gap') entry.level = stored.level;
      entry.end = stored.event.type === 'end' ? stored.event.data : null;
    }
    if (added.length === 0) return;
    this.#version++;
    if (added.length > RESORT_BATCH) {
      this.#sorted = this.#sorted.concat(added).sort(byTopic);
      return;
    }
    for (const entry of added) this.#sorted.splice(this.#insertionPoint(entry), 0, entry);
  }

  #insertionPoint(entry: TopicEntry): number {
    let low = 0;
    let high = this.#sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (byTopic(this.#sorted[mid]!, entry) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function secondsUntil(time: number, now: number): number {
  return Math.max(0, Math.ceil((time - now) / 1000));
}

/** The state a topic's entry shows, given its server's connection. */
export function topicStateOf(entry: TopicEntry, server: ServerStatus | undefined, now: number): TopicStateView {
  const end = entry.end ?? server?.ended[entry.topic] ?? null;
  if (end) return stateView('ended', ['ended: ', ...endResultParts(end)]);
  return connectionStateView(server?.connection, now);
}

export function connectionStateView(connection: ConnectionState | undefined, now: number): TopicStateView {
  if (!connection) return stateView('connecting', ['connecting']);
  switch (connection.kind) {
    case 'connecting':
      return stateView('connecting', ['connecting']);
    case 'live':
      return stateView('live', ['live']);
    case 'reconnecting':
      return stateView('reconnecting', [`reconnecting in ${secondsUntil(connection.retryAt, now)} s`]);
    case 'failed':
      return stateView('failed', ['failed: ', user(connection.reason)]);
    case 'closed':
      return stateView('closed', ['closed']);
  }
}
