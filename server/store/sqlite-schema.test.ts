// The SQLite log's schema, in process: a log written by an older Herald (schema 1) is
// given what later schemas added when it is opened writable, in one transaction that
// leaves it as it was if it fails; opened read-only it is served as it is; a schema it
// does not know, newer or not a number, is refused, writable or not.

import { describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { TopicFilter } from '../protocol/topics.ts';
import { SqliteEventLog, openSqliteLog } from './sqlite-log.ts';
import { SCHEMA_VERSION, checkSchema, prepareDatabase } from './sqlite-schema.ts';
import { tempSqliteFiles } from '../../test/support/temp-sqlite.ts';

const temp = tempSqliteFiles('herald-schema-');
const closers = temp.closers;
const tempFile = (): string => temp.file();

/** A log as Herald wrote it before tokens (schema 1), holding one event. */
async function schemaOneLog(): Promise<string> {
  const file = tempFile();
  const log = openSqliteLog({ path: file });
  await log.append([{ type: 'notify', data: { topic: 'old', time: 1, body: 'kept', priority: 3, tags: [] } }]);
  await log.close();
  const db = new DatabaseSync(file);
  db.exec("DROP TABLE tokens; UPDATE meta SET value = '1' WHERE key = 'schema'");
  db.close();
  return file;
}

function inspect(file: string): { schema: string | undefined; tables: string[] } {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    return { schema: row?.value, tables };
  } finally {
    db.close();
  }
}

const TABLES = ['events', 'meta', 'pruned', 'sqlite_sequence', 'tokens', 'topics'];

describe('the schema of a new log', () => {
  it('is the current one, with every table', async () => {
    const file = tempFile();
    await openSqliteLog({ path: file }).close();
    expect(SCHEMA_VERSION).toBe(2);
    expect(inspect(file)).toEqual({ schema: '2', tables: TABLES });
  });

  it('stays as it is when opened again', async () => {
    const file = tempFile();
    await openSqliteLog({ path: file }).close();
    await openSqliteLog({ path: file }).close();
    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare("SELECT count(*) AS rows FROM meta WHERE key = 'schema'").get()).toEqual({ rows: 1 });
    db.close();
  });
});

describe('a log of an older schema', () => {
  it('gains the tokens table when opened writable, and keeps its events', async () => {
    const file = await schemaOneLog();
    expect(inspect(file)).toEqual({ schema: '1', tables: TABLES.filter((t) => t !== 'tokens') });
    const log = openSqliteLog({ path: file });
    closers.push(() => log.close());
    expect(inspect(file)).toEqual({ schema: '2', tables: TABLES });
    expect((await log.readAfter(null, TopicFilter.parse('old'), 10)).map((e) => e.id)).toEqual(['1']);
  });

  it('is served as it is when opened read-only: nothing may be written there', async () => {
    const file = await schemaOneLog();
    const log = new SqliteEventLog(new DatabaseSync(file, { readOnly: true }), { path: file, readOnly: 'the data dir is read-only' });
    closers.push(() => log.close());
    expect((await log.readAfter(null, TopicFilter.parse('old'), 10)).map((e) => e.id)).toEqual(['1']);
    expect(inspect(file).schema).toBe('1');
  });

  it('is left as it was when its migration fails, and the open says why', async () => {
    const file = await schemaOneLog();
    const db = new DatabaseSync(file);
    // Something named like the new table, that CREATE TABLE IF NOT EXISTS cannot pass over.
    db.exec('CREATE INDEX tokens ON events (time)');
    db.close();
    expect(() => openSqliteLog({ path: file })).toThrow(/tokens/);
    expect(inspect(file)).toEqual({ schema: '1', tables: TABLES.filter((t) => t !== 'tokens') });
  });

  it('leaves the connection of a failed migration with no transaction open, so it can be used or closed', async () => {
    const file = await schemaOneLog();
    const db = new DatabaseSync(file);
    closers.push(() => db.close());
    db.exec('CREATE INDEX tokens ON events (time)');
    expect(() => prepareDatabase(db)).toThrow(/tokens/);
    expect(db.isTransaction).toBe(false);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '1' });
  });
});

describe('a schema this Herald does not know', () => {
  for (const schema of ['3', '0', 'one']) {
    it(`refuses schema ${schema}, writable or read-only, and leaves the file as it is`, async () => {
      const file = tempFile();
      await openSqliteLog({ path: file }).close();
      const db = new DatabaseSync(file);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema'").run(schema);
      db.close();
      const refusal = `expected an event log of schema 2, got schema ${schema}; move the data dir aside`;
      expect(() => openSqliteLog({ path: file })).toThrow(refusal);
      const readOnly = new DatabaseSync(file, { readOnly: true });
      expect(() => checkSchema(readOnly)).toThrow(refusal);
      readOnly.close();
      expect(inspect(file).schema).toBe(schema);
    });
  }

  it('refuses a database with no schema row when read-only, and gives one to a new database', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    expect(() => checkSchema(db)).toThrow('expected an event log of schema 2, got none; move the data dir aside');
    prepareDatabase(db);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '2' });
    db.close();
  });

  it('keeps an older schema only for a read-only check: a writable one refuses it', async () => {
    const file = await schemaOneLog();
    const db = new DatabaseSync(file, { readOnly: true });
    closers.push(() => db.close());
    expect(() => checkSchema(db, { readOnly: true })).not.toThrow();
    expect(() => checkSchema(db, { readOnly: false })).toThrow('expected an event log of schema 2, got schema 1; move the data dir aside');
  });
});

describe('how a log is opened', () => {
  it('in WAL mode with synchronous=NORMAL (commits survive a crash of the process) and a busy timeout', () => {
    const db = new DatabaseSync(tempFile());
    closers.push(() => db.close());
    prepareDatabase(db);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    // 1 is NORMAL; SQLite's default is FULL (2).
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 1 });
    expect(db.prepare('PRAGMA busy_timeout').get()).toEqual({ timeout: 5000 });
  });
});
