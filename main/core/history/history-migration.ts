// Bringing a history written by an older Herald up to the current schema.
//
// Schema 1 stored levels by a mapping of its own: a message at priority 1-3 was `ok`
// and an update had none, where the history window said `info` (or, for an update, the
// `level` field of its status). Schema 2 stores the event vocabulary's level
// (server/protocol/event-vocabulary.ts) for every row, so a query or an export by
// level agrees with what the window shows. Only those two types changed; their rows
// are read again in pages and given the level levelOf says.

import type { DatabaseSync } from 'node:sqlite';
import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { levelOf } from '../../../server/protocol/event-vocabulary.ts';

const PAGE = 1000;

interface Row {
  seq: number;
  event_id: string;
  type: string;
  data: string;
}

/** Run inside the open, before the new version is written; `from` is the file's user_version (0: new). */
export function migrateHistory(db: DatabaseSync, from: number): void {
  if (from === 1) relevel(db);
}

/** The row's level, or null when its data cannot be read (the row keeps what it has). */
function levelOfRow(row: Row): string | null {
  try {
    return levelOf({ id: row.event_id, type: row.type, data: JSON.parse(row.data) } as HeraldEvent);
  } catch {
    return null;
  }
}

function relevel(db: DatabaseSync): void {
  const page = db.prepare(`SELECT seq, event_id, type, data FROM history WHERE type IN ('notify', 'update') AND seq > ? ORDER BY seq LIMIT ${PAGE}`);
  const set = db.prepare('UPDATE history SET level = ? WHERE seq = ?');
  db.exec('BEGIN');
  try {
    let after = -1;
    for (;;) {
      const rows = page.all(after) as unknown as Row[];
      for (const row of rows) {
        const level = levelOfRow(row);
        if (level !== null) set.run(level, row.seq);
      }
      if (rows.length < PAGE) break;
      after = rows.at(-1)!.seq;
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
