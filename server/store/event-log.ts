// The seam between the server and where events are kept. The SQLite log
// (server/store/sqlite-log.ts) is the default; the Redis stream log (docs/scaling.md) is the
// other implementation. Ids are opaque strings owned by the log: only the log parses
// and compares them.

import type { EventType, HeraldEvent, Level, NewEvent } from '../protocol/events.ts';
import type { TopicFilter } from '../protocol/topics.ts';

/** What retention removed from one topic after a client's resume id. */
export interface GapInfo {
  topic: string;
  /** Events of this topic dropped after the resume id, when the log can count them. */
  lost: number | null;
}

/** The latest known state of one topic. */
export interface TopicState {
  topic: string;
  lastId: string;
  lastType: EventType;
  lastTime: number;
  /** The latest `update` status, or null if the topic never had one. */
  status: Record<string, unknown> | null;
  level: Level | null;
  /** True when the latest event is an `end`. */
  ended: boolean;
}

export interface RetentionPolicy {
  /** Events kept per topic (oldest dropped first). */
  maxEventsPerTopic: number;
  /** Events older than this are dropped. */
  maxAgeMs: number;
}

export interface EventLog {
  readonly kind: 'sqlite' | 'redis';
  /**
   * Append events in order. Resolves once they are durable, with their ids; the
   * `onEvents` listeners have been called (or, for a shared log, will be called by
   * the tail) with the same events in the same order.
   */
  append(events: readonly NewEvent[]): Promise<HeraldEvent[]>;
  /** Every event appended to the log, by this process or (for a shared log) any other. */
  onEvents(listener: (events: readonly HeraldEvent[]) => void): () => void;
  /**
   * Retained events after `since` (exclusive; null means from the oldest retained)
   * whose topic matches `filter`, in publish order, at most `limit`.
   */
  readAfter(since: string | null, filter: TopicFilter, limit: number): Promise<HeraldEvent[]>;
  /** Topics matching `filter` that lost events to retention after `since`. */
  gapsAfter(since: string, filter: TopicFilter): Promise<GapInfo[]>;
  /** The latest state of every retained topic (or one topic). */
  topics(): Promise<TopicState[]>;
  topic(name: string): Promise<TopicState | null>;
  /** The id of the newest event in the log, or null when it is empty. */
  lastId(): Promise<string | null>;
  /** True when `raw` has the shape of an id of this log. */
  isValidId(raw: string): boolean;
  /** Negative, zero or positive as `a` was published before, with, or after `b`. */
  compareIds(a: string, b: string): number;
  /** Apply retention now (it also runs on its own schedule). */
  prune(): Promise<void>;
  /** Flush what is pending and release the store. */
  close(): Promise<void>;
}
