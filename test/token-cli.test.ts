// `herald token` on a data dir with no server running: bad input refused with exit
// code 2 and a message saying what was expected, the secret printed once and never
// stored, and a log written by an older Herald (schema 1) given its tokens table
// without losing an event.

import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main/cli/cli.ts';
import type { CliIO } from '../main/cli/command.ts';
import { openSqliteLog } from '../server/store/sqlite-log.ts';
import { runHerald } from './support/herald-cli.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-token-cli-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function token(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env: {} };
  const code = await main(['token', ...args, '--data-dir', dataDir], io);
  return { code, out, err };
}

describe('herald token', () => {
  it('refuses bad input with exit code 2, saying what was expected', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['add', 'ci', '--read', 'ci/**'], /^herald token: Unknown option '--read'/],
      [['add', 'ci', '--publish', 'ci/**/x'], /^herald token: --publish: "\*\*" may only be the last segment of a pattern, got "ci\/\*\*\/x"$/],
      [['add', 'ci', '--subscribe', 'ci/**,,x'], /^herald token: --subscribe: expected a comma-separated list of topic patterns with no empty entry/],
      [['add', 'ci', '--jobs', 'back up'], /^herald token: --jobs: expected a job name of \[A-Za-z0-9_.-\] other than \. and \.\. \(or \* for every job\), got "back up"$/],
      [['add', 'ci'], /^herald token: expected at least one of --publish, --subscribe, --jobs or --admin/],
      [['add', 'ci', '--admin', '--expires', '2020-01-01'], /^herald token: expected an expiry in the future, got 2020-01-01T00:00:00\.000Z/],
      [['add', 'ci', '--admin', '--expires', 'soon'], /^herald token: --expires: expected an expiry as a duration \(90s, 90m, 12h, 30d, 8w\) or a date/],
      [['add', 'ci', '--admin', '--rate-limit', '0'], /^herald token: expected --rate-limit to be a number of requests a second above 0, got "0"$/],
      [['add', 'ci', '--admin', '--topic', 'a b'], /^herald token: default topic: expected a topic of \[A-Za-z0-9_.-\] segments/],
      [['add', 'server', '--admin'], /^herald token: expected a token name other than "server" and "anonymous"/],
      [['add', 'a/b', '--admin'], /^herald token: expected a token name of 1 to 64 characters/],
      [['revoke', 'nobody'], /^herald token: expected the name of a token, got "nobody", which no token has/],
      [['list', '--admin'], /^herald token: --admin is for herald token add, not list$/],
      [['remove', 'ci'], /^herald token: expected add NAME, list or revoke NAME, got "remove"/],
    ];
    for (const [args, message] of cases) {
      const result = await token(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.join('\n'), args.join(' ')).toMatch(message);
      expect(result.out).toEqual([]);
    }
    expect((await token('add', 'ci', '--publish', 'ci/**')).code).toBe(0);
    const duplicate = await token('add', 'ci', '--admin');
    expect(duplicate).toMatchObject({ code: 2, err: [expect.stringMatching(/^herald token: expected a new token name, got "ci", which a token already has; names are never reused/)] });
  });

  it('prints the secret once, alone on stdout, and stores only its hash', async () => {
    const added = await runHerald(['token', 'add', 'ci', '--publish', 'ci/**', '--subscribe', 'ci/**', '--jobs', 'build', '--expires', '30d', '--topic', 'ci/inbox', '--rate-limit', '2.5', '--data-dir', dataDir]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^hld_[A-Za-z0-9_-]{43}\n$/);
    const secret = added.stdout.trim();
    expect(added.stderr).toMatch(/added "ci" \(publish:ci\/\*\* subscribe:ci\/\*\* jobs:build, expires \S+ \S+Z\)\. The line above is its secret, shown only now/);
    const files = await Promise.all(['events.sqlite', 'events.sqlite-wal'].map((f) => readFile(join(dataDir, f)).catch(() => Buffer.alloc(0))));
    for (const file of files) expect(file.includes(secret)).toBe(false);

    const listed = await token('list');
    expect(listed.out[0]).toMatch(/^NAME +STATE +SCOPES +CREATED +LAST USED +EXPIRES$/);
    expect(listed.out[1]).toMatch(/^ci +live +publish:ci\/\*\* subscribe:ci\/\*\* jobs:build +\S+ \S+Z +never +\S+ \S+Z +topic ci\/inbox, 2\.5\/s$/);
    const json = JSON.parse((await token('list', '--json')).out.join('\n'));
    expect(json).toEqual([expect.objectContaining({ name: 'ci', state: 'live', defaultTopic: 'ci/inbox', rateLimit: 2.5, lastUsedAt: null })]);
    expect(JSON.stringify(json)).not.toContain(secret);
    expect(json[0]).not.toHaveProperty('hash');

    expect(await token('revoke', 'ci')).toMatchObject({ code: 0, out: [expect.stringMatching(/^revoked "ci"/)] });
    expect(await token('revoke', 'ci')).toMatchObject({ code: 0, out: ['"ci" was already revoked'] });
    expect((await token('list')).out[1]).toMatch(/^ci +revoked \S+ \S+Z /);
  });

  it('gives a log written by an older Herald (schema 1) its tokens table, keeping its events', async () => {
    // Schema 1 as it was: the log's tables and its meta row, with one event in it.
    const path = join(dataDir, 'events.sqlite');
    const old = new DatabaseSync(path);
    old.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, type TEXT NOT NULL, time INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE TABLE topics (topic TEXT PRIMARY KEY, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL, last_type TEXT NOT NULL, last_time INTEGER NOT NULL, status TEXT, level TEXT, retained INTEGER NOT NULL DEFAULT 0, tombstones INTEGER NOT NULL DEFAULT 0, lost_before INTEGER NOT NULL DEFAULT 0, lost_before_id INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
      CREATE TABLE pruned (topic TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (topic, id)) WITHOUT ROWID;
      INSERT INTO meta VALUES ('schema', '1');
      INSERT INTO events (topic, type, time, data) VALUES ('old/topic', 'notify', ${Date.now()}, '{"topic":"old/topic","title":"kept","time":${Date.now()}}');
      INSERT INTO topics VALUES ('old/topic', 1, 1, 'notify', ${Date.now()}, NULL, NULL, 1, 0, 0, 0);
    `);
    old.close();

    expect((await token('add', 'ci', '--publish', 'ci/**')).code).toBe(0);
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '2' });
    expect(db.prepare('SELECT name FROM tokens').all()).toEqual([{ name: 'ci' }]);
    db.close();
    const log = openSqliteLog({ path });
    expect((await log.topics()).map((t) => t.topic)).toEqual(['old/topic']);
    await log.close();
  });
});
