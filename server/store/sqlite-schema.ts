// The SQLite log's tables. `events` is the append-only log; AUTOINCREMENT makes
// SQLite never reuse a row id, even after retention deletes the newest rows, so an id
// a client holds can never come to name a different event
// (https://www.sqlite.org/autoinc.html). `topics` caches each topic's latest state
// and counters so publish and `GET /topics` never scan the log. `pruned` keeps the
// ids retention removed (tombstones), so a resume from an old id can say exactly how
// many events of a topic it lost; past a cap they collapse into `topics.lost_before`.

import type { DatabaseSync } from 'node:sqlite';

export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  type TEXT NOT NULL,
  time INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_topic ON events (topic, id);
CREATE INDEX IF NOT EXISTS events_by_time ON events (time);
CREATE TABLE IF NOT EXISTS topics (
  topic TEXT PRIMARY KEY,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  last_type TEXT NOT NULL,
  last_time INTEGER NOT NULL,
  status TEXT,
  level TEXT,
  retained INTEGER NOT NULL DEFAULT 0,
  tombstones INTEGER NOT NULL DEFAULT 0,
  lost_before INTEGER NOT NULL DEFAULT 0,
  lost_before_id INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pruned (
  topic TEXT NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY (topic, id)
) WITHOUT ROWID;
`;

/**
 * WAL lets readers (replay) run beside the writer; synchronous=NORMAL in WAL mode
 * keeps every committed transaction across a process crash (SIGKILL) and only risks
 * the last commits on power loss (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export function prepareDatabase(db: DatabaseSync): void {
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec(SCHEMA);
  if (schemaOf(db) === null) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', String(SCHEMA_VERSION));
  checkSchema(db);
}

/** For a log opened read-only: nothing may be written, so only check what is there. */
export function checkSchema(db: DatabaseSync): void {
  const found = schemaOf(db);
  if (found !== String(SCHEMA_VERSION)) {
    throw new Error(`expected an event log of schema ${SCHEMA_VERSION}, got ${found === null ? 'none' : `schema ${found}`}; move the data dir aside`);
  }
}

function schemaOf(db: DatabaseSync): string | null {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get();
  if (table === undefined) return null;
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as { value: string } | undefined;
  return row?.value ?? null;
}
