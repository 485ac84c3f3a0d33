// The side list: one entry per topic (per server), with its latest value and the
// state of its stream: live, reconnecting in N s, ended with its result, failed with
// the reason. The stream state joins two sources: the topic's own events (an `end`
// finishes it) and its server's connection state from the bridge.

import type { ConnectionState, ServerStatus } from '../../main/ipc/bridge.ts';
import type { EndData } from '../../server/protocol/events.ts';
import { endResultText, formatValue, statusText, summaryOf, type DisplayLevel } from './event-description.ts';
import type { StoredEvent } from './event-store.ts';

export interface TopicEntry {
  key: string;
  server: string;
  topic: string;
  count: number;
  /** Newest event seen (by store order). */
  last: StoredEvent;
  /** The latest status, alert or message, as one line. */
  latestValue: string;
  level: DisplayLevel;
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

function latestValueOf(stored: StoredEvent, previous: string): string {
  const { event } = stored;
  switch (event.type) {
    case 'update':
      return statusText(event.data.status);
    case 'alert':
      return event.data.value === undefined ? event.data.message : `${event.data.metric ?? 'value'} ${formatValue(event.data.value)}`;
    case 'notify':
      return summaryOf(event);
    case 'end':
      return previous || endResultText(event.data);
    case 'gap':
      return previous;
  }
}

export class TopicBoard {
  #entries = new Map<string, TopicEntry>();

  get size(): number {
    return this.#entries.size;
  }

  get(server: string, topic: string): TopicEntry | undefined {
    return this.#entries.get(topicKey(server, topic));
  }

  /** Entries sorted by topic name, then server. */
  entries(): TopicEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.server.localeCompare(b.server));
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Fold events in, in store order (oldest first). */
  add(events: readonly StoredEvent[]): void {
    for (const stored of events) {
      const key = topicKey(stored.server, stored.event.data.topic);
      const entry = this.#entries.get(key);
      if (entry && entry.last.seq > stored.seq) {
        entry.count++;
        continue;
      }
      const previous = entry?.latestValue ?? '';
      this.#entries.set(key, {
        key,
        server: stored.server,
        topic: stored.event.data.topic,
        count: (entry?.count ?? 0) + 1,
        last: stored,
        latestValue: latestValueOf(stored, previous),
        level: stored.event.type === 'gap' && entry ? entry.level : stored.level,
        end: stored.event.type === 'end' ? stored.event.data : null,
      });
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
