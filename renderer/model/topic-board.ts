// The side list: one entry per topic (per server), with its latest value and the
// state of its stream: live, reconnecting in N s, ended with its result, failed with
// the reason. The stream state joins two sources: the topic's own events (an `end`
// finishes it) and its server's connection state from the bridge.

import type { ConnectionState, ServerStatus } from '../../main/app/ipc/bridge.ts';
import type { EndData } from '../../server/protocol/events.ts';
import { endResultText, formatValue, statusText, summaryOf, type EventLevel } from '../../server/protocol/event-vocabulary.ts';
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
}

export function topicKey(server: string, topic: string): string {
  return `${server}\u0000${topic}`;
}

const valueTexts = new WeakMap<StoredEvent, string>();

/** The topic's latest status, alert value or message as one line (the end result if it has nothing else). */
export function latestValueOf(entry: TopicEntry): string {
  const stored = entry.valueEvent;
  if (!stored) return entry.end ? endResultText(entry.end) : '';
  let text = valueTexts.get(stored);
  if (text === undefined) {
    const { event } = stored;
    if (event.type === 'update') text = statusText(event.data.status);
    else if (event.type === 'alert') text = event.data.value === undefined ? event.data.message : `${event.data.metric ?? 'value'} ${formatValue(event.data.value)}`;
    else text = summaryOf(event);
    valueTexts.set(stored, text);
  }
  return text;
}

export class TopicBoard {
  /** Server, then topic (no joined key per event: history folds in 100,000 at once). */
  #byServer = new Map<string, Map<string, TopicEntry>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(server: string, topic: string): TopicEntry | undefined {
    return this.#byServer.get(server)?.get(topic);
  }

  /** Entries sorted by topic name, then server. */
  entries(): TopicEntry[] {
    const all: TopicEntry[] = [];
    for (const topics of this.#byServer.values()) for (const entry of topics.values()) all.push(entry);
    return all.sort((a, b) => a.topic.localeCompare(b.topic) || a.server.localeCompare(b.server));
  }

  clear(): void {
    this.#byServer.clear();
    this.#size = 0;
  }

  /** Fold events in (any order; store order decides which is newest). Entries are updated in place. */
  add(events: readonly StoredEvent[]): void {
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
        this.#size++;
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
  }
}

function secondsUntil(time: number, now: number): number {
  return Math.max(0, Math.ceil((time - now) / 1000));
}

/** The state a topic's entry shows, given its server's connection. */
export function topicStateOf(entry: TopicEntry, server: ServerStatus | undefined, now: number): TopicStateView {
  const end = entry.end ?? server?.ended[entry.topic] ?? null;
  if (end) return { kind: 'ended', text: `ended: ${endResultText(end)}` };
  return connectionStateView(server?.connection, now);
}

export function connectionStateView(connection: ConnectionState | undefined, now: number): TopicStateView {
  if (!connection) return { kind: 'connecting', text: 'connecting' };
  switch (connection.kind) {
    case 'connecting':
      return { kind: 'connecting', text: 'connecting' };
    case 'live':
      return { kind: 'live', text: 'live' };
    case 'reconnecting':
      return { kind: 'reconnecting', text: `reconnecting in ${secondsUntil(connection.retryAt, now)} s` };
    case 'failed':
      return { kind: 'failed', text: `failed: ${connection.reason}` };
    case 'closed':
      return { kind: 'closed', text: 'closed' };
  }
}
