// The data dir's disk, failing under a real `herald serve` child. The failures are
// real ones the kernel returns to SQLite's own writes, not mocks:
//
// - EFBIG: `prlimit --fsize` lowers the running server's file-size limit (RLIMIT_FSIZE)
//   to 1 byte, so every write past the start of a file fails. Node ignores SIGXFSZ, so
//   the write returns EFBIG, which SQLite reports like a failing disk. Works without
//   root, so it always runs.
// - ENOSPC and EROFS: the data dir is a small tmpfs, filled up (disk full), or
//   remounted read-only before the server starts. chmod cannot make a folder
//   read-only for root, and a filesystem with files open for writing cannot be
//   remounted read-only, so a read-only data dir is met at start. Mounting needs
//   root (CAP_SYS_ADMIN); where it is not allowed these tests say so and skip.
//
// Each time: publish answers 503 `unavailable` saying what to do, the events already
// stored are still replayed, live subscribers stay connected, and (disk full)
// publishing resumes by itself once writes succeed again.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { runHerald } from './support/herald-cli.ts';
import { openRawStream, rawRequest, waitUntil, type RawStream } from './support/herald-test-server.ts';
import { createHeraldServer } from '../server/app.ts';
import { canMountTmpfs } from './support/tmpfs.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-disk-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(dataDir: string): Promise<HeraldChild> {
  const child = await startHeraldChild(['--port', '0', '--data-dir', dataDir, '--heartbeat-sec', '1']);
  cleanups.push(() => child.kill('SIGKILL'));
  return child;
}

async function stream(url: string): Promise<RawStream> {
  const s = await openRawStream(url);
  cleanups.push(() => s.close());
  return s;
}

function publish(url: string, body: string) {
  return rawRequest(`${url}/topics/disk`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
}

const bodies = (s: RawStream) => s.messages.map((m) => (JSON.parse(m.data) as { body: string }).body);

/** Mount a tmpfs of `size` at a fresh folder; null when this machine does not allow it. */
function mountTmpfs(size: string): string | null {
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  cleanups.push(() => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }));
  return dir;
}

const canMount = canMountTmpfs('server-disk.test.ts', 'the disk-full (ENOSPC) and read-only (EROFS) tests');

/** Publish fails with 503 while the disk refuses; replay and the live stream keep working. */
async function expectRefusedButServing(url: string, live: RawStream, stored: string[], reason: RegExp): Promise<void> {
  const refused = await publish(url, 'not stored');
  expect(refused.status).toBe(503);
  expect(refused.body).toEqual({ code: 'unavailable', error: expect.stringMatching(reason) });
  const replay = await stream(`${url}/events?topics=disk&since=all`);
  await replay.waitFor(stored.length);
  expect(bodies(replay)).toEqual(stored);
  expect((await rawRequest(`${url}/health`)).status).toBe(200);
  expect(live.isEnded()).toBe(false);
}

describe('a disk that refuses writes while the server runs', () => {
  it('answers publish with 503 while writes fail (EFBIG), keeps serving, and stores again once they succeed', async () => {
    const child = await serve(tempDir());
    for (const body of ['one', 'two']) expect((await publish(child.url, body)).status).toBe(201);
    const live = await stream(`${child.url}/events?topics=disk`);
    const pid = String(child.process.pid);
    execFileSync('prlimit', ['--pid', pid, '--fsize=1:']);
    cleanups.push(() => execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:'], { stdio: 'ignore' }));

    await expectRefusedButServing(child.url, live, ['one', 'two'], /could not store the event \(SQLite: disk I\/O error\).*Free space in .*publishing resumes by itself/);
    expect(live.messages).toEqual([]);

    execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:']);
    expect((await publish(child.url, 'three')).status).toBe(201);
    await live.waitFor(1);
    expect(bodies(live)).toEqual(['three']);
    const replay = await stream(`${child.url}/events?topics=disk&since=all`);
    await replay.waitFor(3);
    expect(bodies(replay)).toEqual(['one', 'two', 'three']);
  });

  it.skipIf(!canMount)('answers publish with 503 on a full disk (ENOSPC), keeps serving, and stores again once there is room', async () => {
    const dir = mountTmpfs('1m')!;
    const child = await serve(dir);
    expect((await publish(child.url, 'before')).status).toBe(201);
    const live = await stream(`${child.url}/events?topics=disk`);
    // Take every free block: the kernel answers ENOSPC once the filesystem is full.
    const filler = join(dir, 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(64 * 1024));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    // The WAL may still have room in pages it already holds: publish until SQLite needs more.
    const stored = ['before'];
    for (let i = 0; i < 200; i++) {
      const answer = await publish(child.url, `fill ${i} `.padEnd(1000, '.'));
      if (answer.status !== 201) break;
      stored.push(`fill ${i} `.padEnd(1000, '.'));
    }
    await expectRefusedButServing(child.url, live, stored, /could not store the event \(SQLite: database or disk is full\)/);

    rmSync(filler);
    expect((await publish(child.url, 'after')).status).toBe(201);
    await waitUntil(() => bodies(live).includes('after'), () => `the live subscriber missed "after": ${bodies(live).slice(-3)}`);
  });
});

describe('a read-only data dir at start', () => {
  it.skipIf(!canMount).each(['after a clean stop', 'after a crash'])('serves the log it holds and refuses publish with 503 (EROFS), %s', async (how) => {
    const dir = mountTmpfs('4m')!;
    const first = await serve(dir);
    for (const body of ['kept 1', 'kept 2']) expect((await publish(first.url, body)).status).toBe(201);
    await first.kill(how === 'after a crash' ? 'SIGKILL' : 'SIGTERM');
    execFileSync('mount', ['-o', 'remount,ro', dir]);

    const child = await serve(dir);
    const live = await stream(`${child.url}/events?topics=disk`);
    await expectRefusedButServing(child.url, live, ['kept 1', 'kept 2'], /cannot store events: the data dir .* is read-only \(EROFS\)/);
  });

  it.skipIf(!canMount)('refuses to start in a read-only data dir that holds no log, saying why', async () => {
    const dir = mountTmpfs('64k')!;
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    const result = await runHerald(['serve', '--port', '0', '--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot create the event log .*events\.sqlite: EROFS; make the data dir writable, or pick another with --data-dir/);
  });
});

describe('a damaged log file', () => {
  async function logWithEvents(): Promise<{ dir: string; file: string }> {
    const dir = tempDir();
    const server = await createHeraldServer({ port: 0, dataDir: dir, onError: () => {} });
    for (let i = 0; i < 40; i++) await server.publisher.publish({ type: 'notify', data: { topic: 'disk', time: i, body: `event ${i} `.padEnd(500, '.'), priority: 3, tags: [] } });
    await server.close(); // closing checkpoints the WAL into the file
    return { dir, file: join(dir, 'events.sqlite') };
  }

  it.each([
    ['garbage over its header', 0],
    ['a page in the middle overwritten', 3 * 4096],
  ] as const)('stops herald serve at start with what to do, exit code 1: %s', async (_what, offset) => {
    const { file } = await logWithEvents();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, offset);
    closeSync(fd);
    const result = await runHerald(['serve', '--port', '0', '--data-dir', join(file, '..')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the event log ${file} is damaged (SQLite: `);
    expect(result.stderr).toContain(`mv "${file}" "${file}.damaged"`);
    expect(result.stdout).not.toMatch(/listening on/);
  });
});

describe('file permissions', () => {
  it('creates the data dir 0700 and the log 0600, its -wal and -shm too', async () => {
    const dataDir = join(tempDir(), 'fresh', 'herald');
    const server = await createHeraldServer({ port: 0, dataDir, onError: () => {} });
    cleanups.push(() => server.close());
    await server.publisher.publish({ type: 'notify', data: { topic: 'a', time: 1, body: 'x', priority: 3, tags: [] } });
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect(mode(dataDir)).toBe('700');
    for (const file of ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']) expect([file, mode(join(dataDir, file))]).toEqual([file, '600']);
  });

  it('leaves the mode of a data dir that already exists as it is', async () => {
    const dataDir = tempDir();
    execFileSync('chmod', ['0750', dataDir]);
    mkdirSync(join(dataDir, 'unrelated'));
    writeFileSync(join(dataDir, 'unrelated', 'x'), '');
    const server = await createHeraldServer({ port: 0, dataDir, onError: () => {} });
    cleanups.push(() => server.close());
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('750');
    expect((statSync(join(dataDir, 'events.sqlite')).mode & 0o777).toString(8)).toBe('600');
  });
});
