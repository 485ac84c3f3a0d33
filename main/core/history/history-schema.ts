// The history database's tables. One row per received event, keyed by the server's
// id and the event's id (so a replayed event is stored once); `seq` is the local
// arrival order and the paging cursor. Text search is an FTS5 index with the
// trigram tokenizer (SQLite 3.34+, https://sqlite.org/fts5.html#the_trigram_tokenizer),
// so a search box finds any substring of three or more characters, case-insensitively,
// without scanning the table.

/** 2: every row has the event vocabulary's level (history-migration.ts). */
export const HISTORY_SCHEMA_VERSION = 2;

export const HISTORY_DDL = `
CREATE TABLE IF NOT EXISTS history (
  seq INTEGER PRIMARY KEY,
  server_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  type TEXT NOT NULL,
  level TEXT,
  time INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  data TEXT NOT NULL,
  UNIQUE (server_id, event_id)
);
CREATE INDEX IF NOT EXISTS history_by_topic ON history (topic);
CREATE INDEX IF NOT EXISTS history_by_type ON history (type);
CREATE INDEX IF NOT EXISTS history_by_level ON history (level);
CREATE INDEX IF NOT EXISTS history_by_time ON history (time);
CREATE INDEX IF NOT EXISTS history_by_received ON history (received_at);

CREATE VIRTUAL TABLE IF NOT EXISTS history_text USING fts5 (
  topic, title, body,
  content = 'history', content_rowid = 'seq',
  tokenize = 'trigram case_sensitive 0'
);
CREATE TRIGGER IF NOT EXISTS history_text_insert AFTER INSERT ON history BEGIN
  INSERT INTO history_text (rowid, topic, title, body) VALUES (new.seq, new.topic, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS history_text_delete AFTER DELETE ON history BEGIN
  INSERT INTO history_text (history_text, rowid, topic, title, body) VALUES ('delete', old.seq, old.topic, old.title, old.body);
END;

CREATE TABLE IF NOT EXISTS resume_points (
  server_id TEXT PRIMARY KEY,
  last_id TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;
