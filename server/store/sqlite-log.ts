// The default EventLog: an append-only SQLite file (node:sqlite, no native addon).
// Appends made in one tick share one transaction: each append's promise resolves
// after that commit, once the onEvents listeners have seen the batch, so the hub
// fans out only what is durable. Ids are the row ids as decimal strings.

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { dirname } from 'node:path';
import { HeraldError } from '../protocol/errors.ts';
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import type { TopicFilter } from '../protocol/topics.ts';
import { systemClock, type Clock } from '../protocol/clock.ts';
import type { EventLog, GapInfo, RetentionPolicy, TopicState } from './event-log.ts';
import { checkSchema, prepareDatabase } from './sqlite-schema.ts';
import { openLogFile } from './sqlite-open.ts';
import { immediateTransaction } from './sqlite-transaction.ts';
import { DEFAULT_RETENTION, SqliteRetention } from './sqlite-retention.ts';
import { compareDecimalIds, isDecimalId, toEvent, toTopicState, type EventRow, type TopicRow } from './sqlite-rows.ts';

export interface SqliteLogOptions {
  /** The database file; its folder is created. `:memory:` works for tests. */
  path: string;
  retention?: Partial<RetentionPolicy>;
  clock?: Clock;
  /** How often age retention runs; default a tenth of the max age, at most a minute. */
  pruneIntervalMs?: number;
  /** Ids of pruned events kept per topic for exact gap counts (default 10x the count limit, at least 10,000). */
  tombstonesPerTopic?: number;
  /** Set when the file was opened read-only: why nothing can be appended (every append is refused with it). */
  readOnly?: string | null;
}

interface PendingAppend {
  events: readonly NewEvent[];
  /** Each event's data as JSON, made before the transaction so one bad append fails alone. */
  json?: string[];
  resolve(events: HeraldEvent[]): void;
  reject(error: unknown): void;
}

/** Topics whose `topic()` row is remembered at most (the cache is emptied past it). */
export const TOPIC_ROW_CACHE_MAX = 10_000;

/** Exact topics read with one `IN (...)` query; longer lists walk the log like wildcards. */
const MAX_TOPICS_PER_QUERY = 32;

/** Open (creating it 0600, in a 0700 folder) and check the log file; see sqlite-open.ts. */
export function openSqliteLog(options: SqliteLogOptions): SqliteEventLog {
  const { db, readOnly } = openLogFile(options.path);
  try {
    return new SqliteEventLog(db, { ...options, readOnly });
  } catch (error) {
    db.close();
    throw error;
  }
}

export class SqliteEventLog implements EventLog {
  readonly kind = 'sqlite' as const;
  readonly startId = '0';
  readonly retention: SqliteRetention;
  readonly #db: DatabaseSync;
  readonly #clock: Clock;
  /** Where the log is, for messages that tell a user what to free or fix. */
  readonly #where: string;
  readonly #readOnly: string | null;
  readonly #listeners = new Set<(events: readonly HeraldEvent[]) => void>();
  #pending: PendingAppend[] = [];
  #flushScheduled = false;
  #closed = false;
  readonly #pruneTimer: unknown;
  readonly #insert: StatementSync;
  readonly #upsertTopic: StatementSync;
  readonly #retainedOf: StatementSync;
  readonly #readAll: StatementSync;
  readonly #topicRows: StatementSync;
  readonly #topicRow: StatementSync;
  readonly #lastId: StatementSync;
  readonly #readByTopics = new Map<number, StatementSync>();
  /**
   * `topic()`'s rows (undefined: no retained events), kept until that topic is
   * written or the log is pruned: every stream on exact topics asks whether they
   * have ended, and 10,000 reconnecting ask at once. Correct because a writable log's
   * process is its only writer (other servers share events through Redis, not this
   * file); a read-only log is not cached.
   */
  readonly #topicRowCache = new Map<string, TopicRow | undefined>();

  constructor(db: DatabaseSync, options: Omit<SqliteLogOptions, 'path'> & { path?: string } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.#where = options.path === undefined || options.path === ':memory:' ? 'the data dir' : dirname(options.path);
    this.#readOnly = options.readOnly ?? null;
    if (this.#readOnly === null) prepareDatabase(db);
    else checkSchema(db);
    const policy = { ...DEFAULT_RETENTION, ...options.retention };
    this.retention = new SqliteRetention(db, policy, options.tombstonesPerTopic);
    this.#insert = db.prepare('INSERT INTO events (topic, type, time, data) VALUES (?, ?, ?, ?)');
    // `status` and `level` keep their previous value unless this event carries one.
    this.#upsertTopic = db.prepare(`
      INSERT INTO topics (topic, first_id, last_id, last_type, last_time, status, level, retained)
      VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, 1)
      ON CONFLICT (topic) DO UPDATE SET
        last_id = ?2, last_type = ?3, last_time = ?4,
        status = coalesce(?5, status), level = coalesce(?6, level), retained = retained + 1`);
    this.#retainedOf = db.prepare('SELECT retained FROM topics WHERE topic = ?');
    this.#readAll = db.prepare('SELECT id, type, data FROM events WHERE id > ? ORDER BY id');
    this.#topicRows = db.prepare(
      'SELECT topic, last_id, last_type, last_time, status, level FROM topics WHERE retained > 0 ORDER BY topic',
    );
    this.#topicRow = db.prepare(
      'SELECT topic, last_id, last_type, last_time, status, level FROM topics WHERE topic = ? AND retained > 0',
    );
    this.#lastId = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'");
    const interval = options.pruneIntervalMs ?? Math.min(60_000, Math.max(1000, policy.maxAgeMs / 10));
    this.#pruneTimer = this.#readOnly === null ? this.#clock.setInterval(() => void this.prune().catch(() => {}), interval) : null;
    (this.#pruneTimer as { unref?: () => void } | null)?.unref?.();
  }

  append(events: readonly NewEvent[]): Promise<HeraldEvent[]> {
    if (this.#closed) return Promise.reject(new HeraldError('unavailable', 'the event log is closed'));
    if (this.#readOnly !== null) return Promise.reject(new HeraldError('unavailable', `cannot store events: ${this.#readOnly}`));
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#pending.push({ events, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  onEvents(listener: (events: readonly HeraldEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async readAfter(since: string | null, filter: TopicFilter, limit: number): Promise<HeraldEvent[]> {
    const after = since === null ? 0 : this.#parseId(since);
    const out: HeraldEvent[] = [];
    if (limit <= 0) return out;
    if (filter.allExact && filter.patterns.length <= MAX_TOPICS_PER_QUERY) {
      const topics = filter.exactTopics;
      const rows = this.#readByTopicsStatement(topics.length).all(after, ...topics, limit) as unknown as EventRow[];
      for (const row of rows) out.push(toEvent(row));
      return out;
    }
    // Wildcards: walk the log in id order and keep what matches (retention bounds it).
    for (const row of this.#readAll.iterate(after) as Iterable<EventRow & { data: string }>) {
      const event = toEvent(row);
      if (!filter.matches(event.data.topic)) continue;
      out.push(event);
      if (out.length >= limit) break;
    }
    return out;
  }

  async gapsAfter(since: string, filter: TopicFilter): Promise<GapInfo[]> {
    const after = this.#parseId(since);
    const names = filter.allExact
      ? filter.exactTopics
      : (this.#db.prepare('SELECT topic FROM topics ORDER BY topic').all() as Array<{ topic: string }>)
          .map((r) => r.topic)
          .filter((t) => filter.matches(t));
    const gaps: GapInfo[] = [];
    for (const topic of names) {
      const gap = this.retention.lostAfter(topic, after);
      if (gap) gaps.push(gap);
    }
    return gaps;
  }

  /** How many topics' rows `topic()` remembers now (at most TOPIC_ROW_CACHE_MAX; none when read-only). */
  get rememberedTopics(): number {
    return this.#topicRowCache.size;
  }

  /** Why the log cannot be written (opened read-only), or null when it can. */
  get readOnly(): string | null {
    return this.#readOnly;
  }

  async topics(): Promise<TopicState[]> {
    return (this.#topicRows.all() as unknown as TopicRow[]).map(toTopicState);
  }

  async topic(name: string): Promise<TopicState | null> {
    // A read-only log is someone else's file, perhaps still being written: always asked.
    if (this.#readOnly !== null) {
      const row = this.#topicRow.get(name) as unknown as TopicRow | undefined;
      return row === undefined ? null : toTopicState(row);
    }
    let row = this.#topicRowCache.get(name);
    if (row === undefined && !this.#topicRowCache.has(name)) {
      row = this.#topicRow.get(name) as unknown as TopicRow | undefined;
      // Clients name the topics: bounded, so asking for many names costs no memory.
      if (this.#topicRowCache.size >= TOPIC_ROW_CACHE_MAX) this.#topicRowCache.clear();
      this.#topicRowCache.set(name, row);
    }
    return row === undefined ? null : toTopicState(row);
  }

  async lastId(): Promise<string | null> {
    const row = this.#lastId.get() as { seq: number } | undefined;
    return row === undefined ? null : String(row.seq);
  }

  /** `sqlite_sequence` keeps the largest row id ever issued (AUTOINCREMENT), pruned or not. */
  async headId(): Promise<string | null> {
    return this.lastId();
  }

  isValidId(raw: string): boolean {
    return isDecimalId(raw);
  }

  compareIds(a: string, b: string): number {
    return compareDecimalIds(a, b);
  }

  async prune(): Promise<void> {
    if (this.#closed || this.#readOnly !== null) return;
    this.#topicRowCache.clear();
    immediateTransaction(this.#db, () => this.retention.enforceAge(this.#clock.now()));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#clock.clearInterval(this.#pruneTimer);
    this.#listeners.clear();
    this.#db.close();
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending.filter((item) => {
      try {
        item.json = item.events.map((event) => JSON.stringify(event.data));
        return true;
      } catch (error) {
        item.reject(new HeraldError('bad_request', `could not store an event: ${(error as Error).message}`));
        return false;
      }
    });
    this.#pending = [];
    if (batch.length === 0) return;
    let results: HeraldEvent[][];
    try {
      results = immediateTransaction(this.#db, () => this.#write(batch));
    } catch (error) {
      // A full or failing disk: refuse this batch (publishers retry on 503), keep
      // serving what is stored, and write again as soon as the disk allows.
      const failure = new HeraldError(
        'unavailable',
        `could not store the event (SQLite: ${(error as Error).message}); the events already stored are still served. ` +
          `Free space in ${this.#where} or check the disk; publishing resumes by itself once writes succeed`,
        { cause: error, retryAfterSec: 5 },
      );
      for (const item of batch) item.reject(failure);
      return;
    }
    const all = results.flat();
    for (const listener of this.#listeners) {
      try {
        listener(all);
      } catch {
        // A failing listener must not undo a durable append or starve the others.
      }
    }
    batch.forEach((item, i) => item.resolve(results[i] ?? []));
  }

  #write(batch: readonly PendingAppend[]): HeraldEvent[][] {
    const touched = new Set<string>();
    // Before the rows change (a failed transaction only costs a re-read).
    for (const item of batch) for (const event of item.events) this.#topicRowCache.delete(event.data.topic);
    const results = batch.map((item) =>
      item.events.map((event, i) => {
        const data = item.json![i]!;
        const { topic, time } = event.data;
        const id = Number(this.#insert.run(topic, event.type, time, data).lastInsertRowid);
        const status = event.type === 'update' ? JSON.stringify(event.data.status) : null;
        const level = event.type === 'alert' ? event.data.level : null;
        this.#upsertTopic.run(topic, id, event.type, time, status, level);
        touched.add(topic);
        return { id: String(id), type: event.type, data: event.data } as HeraldEvent;
      }),
    );
    for (const topic of touched) {
      const row = this.#retainedOf.get(topic) as { retained: number };
      this.retention.enforceCount(topic, row.retained);
    }
    return results;
  }

  #parseId(raw: string): number {
    if (!this.isValidId(raw)) {
      throw new HeraldError('bad_id', `expected an event id of decimal digits, got ${JSON.stringify(raw)}`);
    }
    return Number(raw);
  }

  #readByTopicsStatement(count: number): StatementSync {
    let statement = this.#readByTopics.get(count);
    if (statement === undefined) {
      const marks = Array.from({ length: count }, () => '?').join(', ');
      statement = this.#db.prepare(
        `SELECT id, type, data FROM events WHERE id > ? AND topic IN (${marks}) ORDER BY id LIMIT ?`,
      );
      this.#readByTopics.set(count, statement);
    }
    return statement;
  }
}
