// Every event the desktop app received, in SQLite (`node:sqlite`) in the app's data
// folder: bounded by count and age, queried by server, topic, type, level, time and
// text, exported as JSON or CSV. The renderer reads it through the Bridge
// (main/ipc/bridge.ts); the Electron shell owns the instance.
//
// It also keeps each server's resume point (the last event id received), so the
// subscription manager resumes after a restart of the app without loss.

import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { HeraldError } from '../../../server/protocol/errors.ts';
import { describeEvent, type EventLevel } from '../../../server/protocol/event-vocabulary.ts';
import { compilePattern, type TopicPattern } from '../../../server/protocol/topics.ts';
import type { ResumePoints } from '../subscriptions/resume-points.ts';
import type { HistoryEntry } from './history-entry.ts';
import { historyAsCsv, historyAsJson } from './history-export.ts';
import { migrateHistory } from './history-migration.ts';
import { buildFilter, effectiveLimit, selectSql, TOPIC_MATCH_FUNCTION, type HistoryQuery } from './history-query.ts';
import { HISTORY_DDL, HISTORY_SCHEMA_VERSION } from './history-schema.ts';

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass as `before` for the next (older) page; null when this page is the last. */
  nextBefore: number | null;
}

export interface HistoryOptions {
  file: string;
  maxEntries: number;
  maxAgeMs: number;
  now?: () => number;
  /** Prune after this many inserts (pruning also runs on open). */
  pruneEvery?: number;
}

interface Row {
  seq: number;
  server_id: string;
  event_id: string;
  type: string;
  level: string;
  received_at: number;
  title: string;
  body: string;
  data: string;
}

const COLUMNS = 'history.seq, history.server_id, history.event_id, history.type, history.level, history.received_at, history.title, history.body, history.data';

/**
 * Rows a query first looks at by plain arrival order before using an index, per row
 * asked for. A filter that matches much of the table (a busy pattern, a common type)
 * finds its newest rows here at once; an index would return every match to be sorted.
 */
const RECENT_SCAN_PER_ROW = 20;

function entryOf(row: Row): HistoryEntry {
  return {
    seq: row.seq,
    serverId: row.server_id,
    event: { id: row.event_id, type: row.type, data: JSON.parse(row.data) } as HeraldEvent,
    level: row.level as EventLevel,
    receivedAt: row.received_at,
    title: row.title,
    body: row.body,
  };
}

export class HistoryStore {
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #options: Required<HistoryOptions>;
  readonly #insert: StatementSync;
  /** Prepared statements by SQL text: queries repeat their shape, so parse each once. */
  readonly #statements = new Map<string, StatementSync>();
  #insertsSincePrune = 0;

  static open(options: HistoryOptions): HistoryStore {
    // History holds what servers said (messages, hosts, job output): owner-only, like
    // the server's log. SQLite would create the file 0644 and gives -wal/-shm its mode.
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    let db: DatabaseSync | undefined;
    try {
      if (!existsSync(options.file)) closeSync(openSync(options.file, 'a', 0o600));
      db = new DatabaseSync(options.file);
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version > HISTORY_SCHEMA_VERSION) {
        throw new Error(`it was written by a newer Herald (schema ${version}, this one knows ${HISTORY_SCHEMA_VERSION})`);
      }
      db.exec(HISTORY_DDL);
      migrateHistory(db, version);
      db.exec(`PRAGMA user_version = ${HISTORY_SCHEMA_VERSION}`);
      // No ANALYZE / PRAGMA optimize: statistics taken while the tables were small made
      // FTS5's own statements pick full scans of its shadow tables as they grew, and
      // inserts 50 times slower by 60,000 rows (measured with bench/history-bench.ts).
    } catch (error) {
      db?.close();
      throw new HeraldError('bad_config', `history database ${options.file} cannot be used: ${(error as Error).message}. Move it away to start a new history.`, { cause: error });
    }
    return new HistoryStore(db, options);
  }

  private constructor(db: DatabaseSync, options: HistoryOptions) {
    this.file = options.file;
    this.#db = db;
    this.#options = { now: Date.now, pruneEvery: 1000, ...options };
    const patterns = new Map<string, TopicPattern>();
    db.function(TOPIC_MATCH_FUNCTION, { deterministic: true }, (pattern, topic) => {
      const source = String(pattern);
      let compiled = patterns.get(source);
      if (!compiled) {
        if (patterns.size > 100) patterns.clear();
        compiled = compilePattern(source);
        patterns.set(source, compiled);
      }
      return compiled.matches(String(topic)) ? 1 : 0;
    });
    this.#insert = db.prepare(
      `INSERT OR IGNORE INTO history (server_id, event_id, topic, type, level, time, received_at, title, body, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.prune();
  }

  /** Store one event. False when this server's event was already stored (a replay). */
  record(serverId: string, event: HeraldEvent, receivedAt = this.#options.now()): boolean {
    const { level, title, body } = describeEvent(event);
    const result = this.#insert.run(
      serverId,
      event.id,
      event.data.topic,
      event.type,
      level,
      event.data.time,
      receivedAt,
      title,
      body,
      JSON.stringify(event.data),
    );
    if (++this.#insertsSincePrune >= this.#options.pruneEvery) this.prune();
    return Number(result.changes) === 1;
  }

  /** Store many events in one transaction; returns how many were new. */
  recordMany(serverId: string, events: readonly HeraldEvent[], receivedAt = this.#options.now()): number {
    let added = 0;
    this.#transaction(() => {
      for (const event of events) if (this.record(serverId, event, receivedAt)) added++;
    });
    return added;
  }

  query(query: HistoryQuery = {}): HistoryPage {
    const limit = effectiveLimit(query.limit);
    const filter = buildFilter(query);
    let rows: Row[];
    if (filter.match !== null) {
      const { sql, params } = selectSql(COLUMNS, filter, 'DESC');
      rows = this.#statement(`${sql} LIMIT ?`).all(...params, limit) as unknown as Row[];
    } else {
      // First the newest rows by arrival order alone, then, if that did not fill the
      // page, the indexes for what is older. Both parts together are exactly the
      // newest `limit` matches.
      const top = query.before ?? Number((this.#statement('SELECT coalesce(max(seq), 0) + 1 AS top FROM history').get() as { top: number }).top);
      const floor = Math.max(0, top - limit * RECENT_SCAN_PER_ROW);
      const recent = selectSql(COLUMNS, filter, 'DESC', { clauses: ['history.seq >= ?'], params: [floor], notIndexed: true });
      rows = this.#statement(`${recent.sql} LIMIT ?`).all(...recent.params, limit) as unknown as Row[];
      if (rows.length < limit && floor > 0) {
        const older = selectSql(COLUMNS, filter, 'DESC', { clauses: ['history.seq < ?'], params: [floor] });
        rows.push(...(this.#statement(`${older.sql} LIMIT ?`).all(...older.params, limit - rows.length) as unknown as Row[]));
      }
    }
    const entries = rows.map(entryOf);
    return { entries, nextBefore: entries.length === limit ? (entries.at(-1)?.seq ?? null) : null };
  }

  count(query: Omit<HistoryQuery, 'limit' | 'before'> = {}): number {
    const { sql, params } = selectSql('count(*) AS n', buildFilter(query), 'ASC');
    return Number((this.#statement(sql.replace(/ ORDER BY .*$/, '')).get(...params) as { n: number }).n);
  }

  get(serverId: string, eventId: string): HistoryEntry | null {
    const row = this.#statement(`SELECT ${COLUMNS} FROM history WHERE server_id = ? AND event_id = ?`).get(serverId, eventId);
    return row ? entryOf(row as unknown as Row) : null;
  }

  /** Every entry matching `query` (ignoring `limit`), oldest first, as a JSON array. */
  exportJson(query: Omit<HistoryQuery, 'limit' | 'before'> = {}): string {
    return historyAsJson(this.#iterate(query));
  }

  /** The same as CSV text (RFC 4180, with a header record). */
  exportCsv(query: Omit<HistoryQuery, 'limit' | 'before'> = {}): string {
    return [...historyAsCsv(this.#iterate(query))].join('');
  }

  /** Drop entries beyond the count bound and older than the age bound. Returns how many went. */
  prune(): number {
    this.#insertsSincePrune = 0;
    let removed = 0;
    this.#transaction(() => {
      const cutoff = this.#options.now() - this.#options.maxAgeMs;
      removed += Number(this.#db.prepare('DELETE FROM history WHERE received_at < ?').run(cutoff).changes);
      removed += Number(
        this.#db
          .prepare('DELETE FROM history WHERE seq <= (SELECT seq FROM history ORDER BY seq DESC LIMIT 1 OFFSET ?)')
          .run(this.#options.maxEntries).changes,
      );
    });
    return removed;
  }

  /** Forget every entry (resume points stay, so nothing is fetched again). */
  clear(): void {
    this.#db.exec('DELETE FROM history');
  }

  /** Resume points kept in the same database. */
  readonly resumePoints: ResumePoints = {
    load: (serverId) => {
      const row = this.#db.prepare('SELECT last_id FROM resume_points WHERE server_id = ?').get(serverId) as { last_id: string } | undefined;
      return row?.last_id ?? null;
    },
    save: (serverId, lastId) => {
      this.#db
        .prepare('INSERT INTO resume_points (server_id, last_id, updated_at) VALUES (?, ?, ?) ON CONFLICT (server_id) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at')
        .run(serverId, lastId, this.#options.now());
    },
  };

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  *#iterate(query: Omit<HistoryQuery, 'limit' | 'before'>): Generator<HistoryEntry> {
    const { sql, params } = selectSql(COLUMNS, buildFilter(query), 'ASC');
    for (const row of this.#db.prepare(sql).iterate(...params)) {
      yield entryOf(row as unknown as Row);
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size > 200) this.#statements.clear();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #transaction(body: () => void): void {
    if (this.#db.isTransaction) return body();
    this.#db.exec('BEGIN');
    try {
      body();
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}
