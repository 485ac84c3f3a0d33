// Opening the SQLite log file, with the checks that belong to start-up:
//
// - Permissions: the data dir is created 0700 and the log file 0600, so other local
//   users cannot read the events (SQLite gives its -wal and -shm files the mode of
//   the database file). Existing folders and files keep the mode they have.
// - A read-only data dir (a read-only mount; as the file's owner without write
//   permission): the log is opened read-only, so the server still serves what it
//   has, and every publish is refused with 503 saying why.
// - Damage: `PRAGMA quick_check` runs before anything is written; a damaged file stops
//   start-up with what to do (move it aside) rather than serving or extending a broken
//   log (https://www.sqlite.org/pragma.html#pragma_quick_check).

import { DatabaseSync } from 'node:sqlite';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HeraldError } from '../protocol/errors.ts';

export interface OpenedLogFile {
  db: DatabaseSync;
  /** Why the log cannot be written, when it was opened read-only; null when writable. */
  readOnly: string | null;
}

export function openLogFile(path: string): OpenedLogFile {
  if (path === ':memory:') return { db: new DatabaseSync(path), readOnly: null };
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new HeraldError('unavailable', `cannot create the data dir ${dir}: ${(error as Error).message}; create it, or pick another with --data-dir`, { cause: error });
  }
  const unwritable = whyNotWritable(dir, path);
  if (unwritable === null) {
    // O_CREAT with 0600 before SQLite opens it: SQLite would create it 0644 (less the umask).
    if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    const db = opened(path, () => new DatabaseSync(path));
    checkIntact(db, path);
    return { db, readOnly: null };
  }
  if (!existsSync(path)) {
    throw new HeraldError('unavailable', `cannot create the event log ${path}: ${unwritable}; make the data dir writable, or pick another with --data-dir`);
  }
  const db = opened(path, () => openReadOnly(path));
  checkIntact(db, path);
  return { db, readOnly: `the data dir ${dir} is read-only (${unwritable}): the events it holds are served, but nothing new can be stored until it is writable and herald is restarted` };
}

function opened(path: string, open: () => DatabaseSync): DatabaseSync {
  try {
    return open();
  } catch (error) {
    throw new HeraldError('unavailable', `cannot open the event log ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function whyNotWritable(dir: string, path: string): string | null {
  try {
    accessSync(dir, constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

/**
 * A WAL database whose -shm file is gone (a clean shutdown removes it) cannot be
 * opened read-only from a read-only folder; `immutable=1` tells SQLite the file
 * cannot change, so it needs no -shm (https://www.sqlite.org/uri.html#uriimmutable).
 * After a crash the -wal and -shm are still there and hold the newest events, so the
 * plain read-only open is tried first.
 */
export function openReadOnly(path: string): DatabaseSync {
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch {
    const url = pathToFileURL(path);
    url.searchParams.set('immutable', '1');
    return new DatabaseSync(url, { readOnly: true });
  }
}

function checkIntact(db: DatabaseSync, path: string): void {
  let problems: string[];
  try {
    const rows = db.prepare('PRAGMA quick_check(5)').all() as Array<{ quick_check: string }>;
    problems = rows.map((r) => r.quick_check).filter((text) => text !== 'ok');
  } catch (error) {
    problems = [(error as Error).message];
  }
  if (problems.length === 0) return;
  db.close();
  throw new HeraldError(
    'unavailable',
    `the event log ${path} is damaged (SQLite: ${problems.join('; ')}). ` +
      `Move it aside and start again, which starts an empty log: mv "${path}" "${path}.damaged" ` +
      `(and its -wal and -shm files, if there are any). Keep the moved copy: "sqlite3 ${path}.damaged .recover" may get events back.`,
  );
}
