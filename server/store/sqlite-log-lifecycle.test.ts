// The SQLite log's life around the appends: the prune timer it keeps, what close
// does, a log opened read-only, a disk that fills up (a real SQLITE_FULL, from a page
// limit on the log's own connection), another writer holding the lock, and a file
// that is not a log of this schema.

import { describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { existsSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { HeraldError } from '../protocol/errors.ts';
import type { Clock } from '../protocol/clock.ts';
import type { NewEvent } from '../protocol/events.ts';
import { TopicFilter } from '../protocol/topics.ts';
import { SqliteEventLog, openSqliteLog } from './sqlite-log.ts';
import { tempSqliteFiles } from '../../test/support/temp-sqlite.ts';

const temp = tempSqliteFiles('herald-log-life-');
const closers = temp.closers;
const tempFile = (): string => temp.file();

/** A clock that records the prune timer instead of running it. */
function recordingClock(start = 1_000_000) {
  let now = start;
  const intervals: Array<{ fn: () => void; ms: number; handle: number }> = [];
  const cleared: unknown[] = [];
  const clock: Clock & { advance(ms: number): void } = {
    now: () => now,
    advance: (ms) => void (now += ms),
    setTimeout: () => 0,
    clearTimeout: () => {},
    setInterval: (fn, ms) => {
      const handle = intervals.length + 1;
      intervals.push({ fn, ms, handle });
      return handle;
    },
    clearInterval: (handle) => void cleared.push(handle),
  };
  return { clock, intervals, cleared };
}

function note(topic: string, time = 1_000_000, body = topic): NewEvent {
  return { type: 'notify', data: { topic, time, body, priority: 3, tags: [] } };
}

async function rejection(promise: Promise<unknown>): Promise<HeraldError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HeraldError) return error;
    throw error;
  }
  throw new Error('expected a HeraldError');
}

describe('the prune timer', () => {
  it.each([
    [undefined, 60_000],
    [5000, 1000],
    [60_000, 6000],
  ])('runs every tenth of the age limit (%s ms), at least every second and at most every minute', (maxAgeMs, every) => {
    const { clock, intervals } = recordingClock();
    const log = openSqliteLog({ path: ':memory:', clock, ...(maxAgeMs === undefined ? {} : { retention: { maxAgeMs } }) });
    closers.push(() => log.close());
    expect(intervals.map((i) => i.ms)).toEqual([every]);
  });

  it('prunes when it fires, and is cleared on close', async () => {
    const { clock, intervals, cleared } = recordingClock();
    const log = openSqliteLog({ path: ':memory:', clock, retention: { maxAgeMs: 1000 } });
    await log.append([note('a', clock.now())]);
    clock.advance(1001);
    intervals[0]!.fn();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await log.readAfter(null, TopicFilter.parse('a'), 10)).toEqual([]);
    await log.close();
    expect(cleared).toEqual([intervals[0]!.handle]);
  });

  it('keeps events for seven days by default', async () => {
    const { clock } = recordingClock();
    const log = openSqliteLog({ path: ':memory:', clock });
    closers.push(() => log.close());
    const day = 24 * 3_600_000;
    await log.append([note('old', clock.now() - 7 * day - 1), note('recent', clock.now() - 7 * day + 1)]);
    await log.prune();
    expect((await log.readAfter(null, TopicFilter.parse('*'), 10)).map((e) => e.data.topic)).toEqual(['recent']);
    expect(log.retention.tombstoneCap).toBe(10_000);
    const big = openSqliteLog({ path: ':memory:', clock, retention: { maxEventsPerTopic: 2000 } });
    closers.push(() => big.close());
    expect(big.retention.tombstoneCap).toBe(20_000);
  });
});

describe('closing', () => {
  it('stores the appends still pending, checkpoints the file, and refuses later appends', async () => {
    const file = tempFile();
    const log = openSqliteLog({ path: file });
    const batches: number[] = [];
    log.onEvents((events) => batches.push(events.length));
    const pending = log.append([note('a'), note('b')]);
    await log.close();
    expect((await pending).map((e) => e.id)).toEqual(['1', '2']);
    expect(batches).toEqual([2]);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const error = await rejection(log.append([note('c')]));
    expect([error.code, error.message]).toEqual(['unavailable', 'the event log is closed']);
    await expect(log.prune()).resolves.toBeUndefined();
    await log.close();
    const reopened = openSqliteLog({ path: file });
    closers.push(() => reopened.close());
    expect(await reopened.lastId()).toBe('2');
    // Write-ahead logging, so replays read beside the writer.
    const reader = new DatabaseSync(file, { readOnly: true });
    expect(reader.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    reader.close();
  });

  it('hands no empty batch to listeners, for an empty append or a close with nothing pending', async () => {
    const log = openSqliteLog({ path: ':memory:' });
    const batches: number[] = [];
    log.onEvents((events) => batches.push(events.length));
    expect(await log.append([])).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    await log.close();
    expect(batches).toEqual([]);
  });

  it('stops telling a listener that unsubscribed', async () => {
    const log = openSqliteLog({ path: ':memory:' });
    closers.push(() => log.close());
    const seen: string[] = [];
    const stop = log.onEvents((events) => seen.push(...events.map((e) => e.id)));
    await log.append([note('a')]);
    stop();
    await log.append([note('a')]);
    expect(seen).toEqual(['1']);
  });
});

describe('a log opened read-only', () => {
  async function storedLog(): Promise<string> {
    const file = tempFile();
    const log = openSqliteLog({ path: file });
    await log.append([note('a'), note('b')]);
    await log.close();
    return file;
  }

  it('serves what it holds, refuses every append with the reason, and never prunes', async () => {
    const file = await storedLog();
    const { clock, intervals } = recordingClock();
    const log = new SqliteEventLog(new DatabaseSync(file, { readOnly: true }), { path: file, clock, readOnly: 'the data dir is read-only (EROFS)' });
    closers.push(() => log.close());
    expect(intervals).toEqual([]);
    expect((await log.readAfter(null, TopicFilter.parse('a,b'), 10)).map((e) => e.id)).toEqual(['1', '2']);
    const error = await rejection(log.append([note('c')]));
    expect([error.code, error.status, error.message]).toEqual(['unavailable', 503, 'cannot store events: the data dir is read-only (EROFS)']);
    await expect(log.prune()).resolves.toBeUndefined();
  });

  it('asks the file again each time for a topic, since another process may be writing it', async () => {
    const file = await storedLog();
    const reader = new SqliteEventLog(new DatabaseSync(file, { readOnly: true }), { path: file, readOnly: 'the data dir is not writable by this user' });
    closers.push(() => reader.close());
    expect((await reader.topic('a'))?.lastId).toBe('1');
    const writer = openSqliteLog({ path: file });
    closers.push(() => writer.close());
    await writer.append([note('a')]);
    expect((await reader.topic('a'))?.lastId).toBe('3');
  });

  it('answers null for a topic the read-only file does not have, and remembers no rows', async () => {
    const file = await storedLog();
    const reader = new SqliteEventLog(new DatabaseSync(file, { readOnly: true }), { path: file, readOnly: 'the data dir is not writable by this user' });
    closers.push(() => reader.close());
    expect(await reader.topic('never/written')).toBeNull();
    expect((await reader.topic('a'))?.lastId).toBe('1');
    expect(reader.rememberedTopics).toBe(0);
  });

  it('refuses a file that is not an event log of this schema, and one of another schema', async () => {
    const other = tempFile();
    const plain = new DatabaseSync(other);
    plain.exec('CREATE TABLE notes (x)');
    plain.close();
    expect(() => new SqliteEventLog(new DatabaseSync(other, { readOnly: true }), { readOnly: 'r' })).toThrow(
      'expected an event log of schema 2, got none; move the data dir aside',
    );
    const file = await storedLog();
    const db = new DatabaseSync(file);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    expect(() => openSqliteLog({ path: file })).toThrow('expected an event log of schema 2, got schema 99; move the data dir aside');
    // ...and lets go of the file it refused.
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    for (let i = 0; i < 5; i++) expect(() => openSqliteLog({ path: file })).toThrow(/schema 99/);
    expect(openFiles()).toBe(before);
  });
});

describe('a full disk', () => {
  it('refuses the batch that does not fit with 503 and where to free space, keeps serving, and stores again once there is room', async () => {
    const file = tempFile();
    const db = new DatabaseSync(file);
    const log = new SqliteEventLog(db, { path: file });
    closers.push(() => log.close());
    await log.append([note('a')]);
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    db.exec(`PRAGMA max_page_count = ${pages}`);
    const error = await rejection(log.append([note('a', 1_000_000, 'x'.repeat(20_000))]));
    expect([error.code, error.retryAfterSec]).toEqual(['unavailable', 5]);
    expect(error.message).toMatch(/^could not store the event \(SQLite: database or disk is full\); the events already stored are still served\. /);
    expect(error.message).toContain(`Free space in ${join(file, '..')} or check the disk; publishing resumes by itself once writes succeed`);
    expect(error.cause).toBeInstanceOf(Error);
    expect(db.isTransaction).toBe(false);
    expect((await log.readAfter(null, TopicFilter.parse('a'), 10)).map((e) => e.id)).toEqual(['1']);
    db.exec('PRAGMA max_page_count = 1073741823');
    expect((await log.append([note('a', 1_000_000, 'y')])).map((e) => e.data.topic)).toEqual(['a']);
  });

  it.each([
    ['no path', {}],
    [':memory:', { path: ':memory:' }],
  ])("names the data dir of a log in memory (%s) as 'the data dir'", async (_what, options) => {
    const db = new DatabaseSync(':memory:');
    const log = new SqliteEventLog(db, options);
    closers.push(() => log.close());
    await log.append([note('a')]);
    db.exec(`PRAGMA max_page_count = ${(db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count}`);
    const error = await rejection(log.append([note('a', 1_000_000, 'x'.repeat(20_000))]));
    expect(error.message).toContain('Free space in the data dir or check the disk');
  });
});

describe('a statement that fails inside a batch', () => {
  it('rolls the batch back, so the next batch starts its own transaction and is stored', async () => {
    const db = new DatabaseSync(':memory:');
    const log = new SqliteEventLog(db);
    closers.push(() => log.close());
    await log.append([note('a')]);
    db.exec('ALTER TABLE topics RENAME TO topics_away');
    const error = await rejection(log.append([note('a')]));
    expect(error.message).toMatch(/^could not store the event \(SQLite: no such table: topics\)/);
    expect(db.isTransaction).toBe(false);
    db.exec('ALTER TABLE topics_away RENAME TO topics');
    expect((await log.append([note('b')])).map((e) => e.data.topic)).toEqual(['b']);
    expect((await log.readAfter(null, TopicFilter.parse('a,b'), 10)).map((e) => e.data.topic)).toEqual(['a', 'b']);
  });
});

describe('another writer', () => {
  it('waits for a write lock another connection holds instead of failing at once', async () => {
    const file = tempFile();
    const log = openSqliteLog({ path: file });
    closers.push(() => log.close());
    await log.append([note('a')]);
    // A connection in another thread takes the write lock and lets go 300 ms later;
    // the log may wait up to its 5 s busy timeout.
    const worker = new Worker(
      `const { DatabaseSync } = require('node:sqlite');
       const { parentPort, workerData } = require('node:worker_threads');
       const db = new DatabaseSync(workerData);
       db.exec('BEGIN IMMEDIATE');
       parentPort.postMessage('locked');
       setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.close(); }, 300);`,
      { eval: true, workerData: file },
    );
    const exited = once(worker, 'exit');
    await once(worker, 'message');
    expect((await log.append([note('b')])).map((e) => e.id)).toEqual(['2']);
    await exited;
  });
});
