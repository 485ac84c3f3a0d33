// Opening the log file in-process: where the data dir cannot be made, a damaged file
// (refused before anything is written, with how to move it aside), and the modes of
// what it creates, and a read-only data dir (a tmpfs remounted read-only: mounting
// needs root, and where it is not allowed those tests say so and skip).

import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeraldError } from '../protocol/errors.ts';
import { openLogFile } from './sqlite-open.ts';
import { openSqliteLog } from './sqlite-log.ts';
import { canMountTmpfs } from '../../test/support/tmpfs.ts';

const dirs: string[] = [];
const mounts: string[] = [];
const immutable: string[] = [];
afterEach(() => {
  for (const file of immutable.splice(0)) execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
  for (const dir of mounts.splice(0)) execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const canMount = canMountTmpfs('sqlite-open.test.ts', 'the read-only data dir tests');

/** A tmpfs holding `files` (copied in), remounted read-only. */
function readOnlyDir(files: string[]): string {
  const dir = tempDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
  mounts.push(dir);
  for (const file of files) copyFileSync(file, join(dir, file.split('/').at(-1)!));
  execFileSync('mount', ['-o', 'remount,ro', dir]);
  return dir;
}

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

/** A log of 40 events with 4 KiB of garbage written over it at `offset`. */
async function damagedLog(file: string, offset: number): Promise<void> {
  const log = openSqliteLog({ path: file });
  for (let i = 0; i < 40; i++) await log.append([{ type: 'notify', data: { topic: 'disk', time: i, body: `event ${i}`.padEnd(500, '.'), priority: 3, tags: [] } }]);
  await log.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, offset);
  closeSync(fd);
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
    expect(error.cause).toMatchObject({ code: 'ENOTDIR' });
  });

  it.each([
    ['garbage over its header', 0],
    ['a page in the middle overwritten', 3 * 4096],
  ])('refuses a damaged file before writing to it, saying how to move it aside and recover it: %s', async (_what, offset) => {
    const file = join(tempDir(), 'events.sqlite');
    await damagedLog(file, offset);
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
    expect(existsSync(':memory:')).toBe(false);
  });

  it('says which file it cannot open, and why', () => {
    const dir = tempDir();
    const error = refusal(() => openLogFile(dir));
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(new RegExp(`^cannot open the event log ${dir}: `));
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('lets go of a file it refuses', async () => {
    const file = join(tempDir(), 'events.sqlite');
    await damagedLog(file, 0);
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    for (let i = 0; i < 5; i++) refusal(() => openLogFile(file));
    expect(openFiles()).toBe(before);
  });
});

/** chattr +i makes a file immutable: even root cannot write it (ext4 and most disk file systems). */
const canMakeImmutable = (() => {
  const probe = join(mkdtempSync(join(tmpdir(), 'herald-chattr-probe-')), 'f');
  writeFileSync(probe, '');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('sqlite-open.test.ts: chattr +i is not possible here; the unwritable log file test is skipped');
    return false;
  } finally {
    rmSync(join(probe, '..'), { recursive: true, force: true });
  }
})();

describe('a log file that cannot be written', () => {
  it.skipIf(!canMakeImmutable)('opens it read-only, saying why nothing can be stored', async () => {
    const file = join(tempDir(), 'events.sqlite');
    const log = openSqliteLog({ path: file });
    await log.append([{ type: 'notify', data: { topic: 'a', time: 1, body: 'kept', priority: 3, tags: [] } }]);
    await log.close();
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    immutable.push(file);
    const { db, readOnly } = openLogFile(file);
    try {
      expect(readOnly).toMatch(/^the data dir .* is read-only \(EPERM\): the events it holds are served/);
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});

describe('a read-only data dir', () => {
  async function storedLog(close: boolean): Promise<{ file: string; log: ReturnType<typeof openSqliteLog> }> {
    const file = join(tempDir(), 'events.sqlite');
    const log = openSqliteLog({ path: file });
    await log.append([{ type: 'notify', data: { topic: 'a', time: 1, body: 'kept', priority: 3, tags: [] } }]);
    if (close) await log.close();
    return { file, log };
  }

  it.skipIf(!canMount).each([
    ['after a clean stop (no -wal or -shm)', true],
    ['after a crash (with -wal and -shm)', false],
  ])('opens the log it holds read-only, saying why nothing can be stored: %s', async (_how, clean) => {
    const { file, log } = await storedLog(clean);
    const copied = [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
    expect(copied).toHaveLength(clean ? 1 : 3);
    const dir = readOnlyDir(copied);
    if (!clean) await log.close();
    const { db, readOnly } = openLogFile(join(dir, 'events.sqlite'));
    try {
      expect(readOnly).toBe(
        `the data dir ${dir} is read-only (EROFS): the events it holds are served, but nothing new can be stored until it is writable and herald is restarted`,
      );
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it.skipIf(!canMount)('refuses a damaged log there too', async () => {
    const file = join(tempDir(), 'events.sqlite');
    await damagedLog(file, 3 * 4096);
    const dir = readOnlyDir([file]);
    expect(() => openLogFile(join(dir, 'events.sqlite'))).toThrow(/is damaged \(SQLite: /);
  });

  it.skipIf(!canMount)('refuses to create a log there, saying why and what to do', () => {
    const dir = readOnlyDir([]);
    const error = refusal(() => openLogFile(join(dir, 'events.sqlite')));
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe(`cannot create the event log ${join(dir, 'events.sqlite')}: EROFS; make the data dir writable, or pick another with --data-dir`);
  });
});
