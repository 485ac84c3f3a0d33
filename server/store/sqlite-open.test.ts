// Opening the log file in-process: where the data dir cannot be made, a damaged file
// (refused before anything is written, with how to move it aside), and the modes of
// what it creates. Read-only data dirs need a mount: test/server-disk.test.ts.

import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeraldError } from '../protocol/errors.ts';
import { openLogFile } from './sqlite-open.ts';
import { openSqliteLog } from './sqlite-log.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-open-'));
  dirs.push(dir);
  return dir;
}

function refusal(open: () => unknown): HeraldError {
  try {
    open();
  } catch (error) {
    if (error instanceof HeraldError) return error;
    throw error;
  }
  throw new Error('expected the open to be refused');
}

describe('openLogFile', () => {
  it('creates the data dir 0700 and the file 0600, and opens it writable', () => {
    const dir = join(tempDir(), 'a', 'b');
    const file = join(dir, 'events.sqlite');
    const { db, readOnly } = openLogFile(file);
    db.close();
    expect(readOnly).toBeNull();
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
  });

  it('says which data dir it cannot create and what to do', () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const error = refusal(() => openLogFile(join(blocker, 'data', 'events.sqlite')));
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(new RegExp(`^cannot create the data dir ${join(blocker, 'data')}: .*; create it, or pick another with --data-dir$`));
  });

  it('refuses a damaged file before writing to it, saying how to move it aside and recover it', async () => {
    const file = join(tempDir(), 'events.sqlite');
    const log = openSqliteLog({ path: file });
    for (let i = 0; i < 40; i++) await log.append([{ type: 'notify', data: { topic: 'disk', time: i, body: `event ${i}`.padEnd(500, '.'), priority: 3, tags: [] } }]);
    await log.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 0);
    closeSync(fd);
    const before = statSync(file).mtimeMs;
    const error = refusal(() => openLogFile(file));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain(`the event log ${file} is damaged (SQLite: `);
    expect(error.message).toContain(`Move it aside and start again, which starts an empty log: mv "${file}" "${file}.damaged"`);
    expect(error.message).toContain(`"sqlite3 ${file}.damaged .recover" may get events back`);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('opens :memory: without touching the disk', () => {
    const { db, readOnly } = openLogFile(':memory:');
    expect(readOnly).toBeNull();
    db.close();
  });
});
