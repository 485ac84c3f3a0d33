// The SQLite log's tables. `events` is the append-only log; AUTOINCREMENT makes
// SQLite never reuse a row id, even after retention deletes the newest rows, so an id
// a client holds can never come to name a different event
// (https://www.sqlite.org/autoinc.html). `topics` caches each topic's latest state
// and counters so publish and `GET /topics` never scan the log. `pruned` keeps the
// ids retention removed (tombstones), so a resume from an old id can say exactly how
// many events of a topic it lost; past a cap they collapse into `topics.lost_before`.
// `tokens` holds the named tokens (server/tokens/sqlite-token-store.ts): schema 2
// added it, and a schema 1 log gains it (empty) the first time it is opened writable.

import type { DatabaseSync } from 'node:sqlite';

export const SCHEMA_VERSION = 2;

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

/** What each schema added to the one before; a log of an older schema gets them in order. */
const MIGRATIONS: Record<number, string> = {
  2: `
CREATE TABLE IF NOT EXISTS tokens (
  name TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  default_topic TEXT,
  rate_limit REAL,
  last_used_at INTEGER,
  last_used_from TEXT
) WITHOUT ROWID;
`,
};

/** Schemas a read-only log may have: older ones lack only what later ones added (no tokens). */
const READABLE_SCHEMAS = new Set(Array.from({ length: SCHEMA_VERSION }, (_, i) => String(i + 1)));

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
  const found = schemaOf(db);
  if (found === null) db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema', '1');
  migrate(db, Number(found ?? '1'));
  checkSchema(db, { readOnly: false });
}

/** Bring a log of schema `from` (and older than this one) up to SCHEMA_VERSION, in one transaction. */
function migrate(db: DatabaseSync, from: number): void {
  if (!Number.isInteger(from) || from >= SCHEMA_VERSION || from < 1) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    // Read again inside the transaction: another process may have migrated meanwhile.
    const current = Number(schemaOf(db));
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version] ?? '');
    if (current < SCHEMA_VERSION) db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(String(SCHEMA_VERSION), 'schema');
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * That the log has this schema; one opened read-only (nothing may be written, so it
 * cannot be migrated) may also have an older one.
 */
export function checkSchema(db: DatabaseSync, options: { readOnly: boolean } = { readOnly: true }): void {
  const found = schemaOf(db);
  const ok = found === String(SCHEMA_VERSION) || (options.readOnly && found !== null && READABLE_SCHEMAS.has(found));
  if (!ok) {
    throw new Error(`expected an event log of schema ${SCHEMA_VERSION}, got ${found === null ? 'none' : `schema ${found}`}; move the data dir aside`);
  }
}

function schemaOf(db: DatabaseSync): string | null {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get();
  if (table === undefined) return null;
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as { value: string } | undefined;
  return row?.value ?? null;
}
