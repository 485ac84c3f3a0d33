// The SQLite event log on real files in a temp dir: ids, batching, replay reads,
// persistence across reopen, and retention with exact gap accounting.

import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicFilter } from '../protocol/topics.ts';
import type { NewEvent } from '../protocol/events.ts';
import type { Clock } from '../protocol/clock.ts';
import { TOPIC_ROW_CACHE_MAX, openSqliteLog, type SqliteEventLog, type SqliteLogOptions } from './sqlite-log.ts';

const dirs: string[] = [];
const logs: SqliteEventLog[] = [];

afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(options: Partial<SqliteLogOptions> = {}, dir?: string): SqliteEventLog {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'herald-log-'));
  if (!dir) dirs.push(folder);
  const log = openSqliteLog({ path: join(folder, 'events.sqlite'), ...options });
  logs.push(log);
  return log;
}

/** A clock the test moves by hand; the log's prune timer never fires on its own. */
function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => (now += ms),
    setTimeout: () => 0,
    clearTimeout: () => {},
    setInterval: () => 0,
    clearInterval: () => {},
  };
}

function note(topic: string, body = topic, time = 1_000_000): NewEvent {
  return { type: 'notify', data: { topic, time, body, priority: 3, tags: [] } };
}

const all = (pattern: string) => TopicFilter.parse(pattern);

describe('appending', () => {
  it('gives increasing decimal ids and hands one tick of appends to listeners as one batch', async () => {
    const log = open();
    const batches: string[][] = [];
    log.onEvents((events) => batches.push(events.map((e) => e.id)));
    const [a, b, c] = await Promise.all([log.append([note('a')]), log.append([note('b'), note('c')]), log.append([note('a')])]);
    expect([...a!, ...b!, ...c!].map((e) => e.id)).toEqual(['1', '2', '3', '4']);
    expect(batches).toEqual([['1', '2', '3', '4']]);
    expect(await log.lastId()).toBe('4');
  });

  it('keeps going when a listener throws', async () => {
    const log = open();
    const heard: string[] = [];
    log.onEvents(() => {
      throw new Error('listener bug');
    });
    log.onEvents((events) => heard.push(...events.map((e) => e.id)));
    await expect(log.append([note('a')])).resolves.toHaveLength(1);
    expect(heard).toEqual(['1']);
  });

  it('fails only the append that cannot be stored, not the others in its batch', async () => {
    const log = open();
    const bad = { type: 'update', data: { topic: 'a', time: 1, status: { n: 1n } } } as unknown as NewEvent;
    const [good, failed, alsoGood] = await Promise.allSettled([log.append([note('a')]), log.append([bad]), log.append([note('b')])]);
    expect(good).toMatchObject({ status: 'fulfilled', value: [{ id: '1' }] });
    expect(failed).toMatchObject({ status: 'rejected', reason: { code: 'bad_request', message: expect.stringMatching(/^could not store an event: .*BigInt/) } });
    expect(alsoGood).toMatchObject({ status: 'fulfilled', value: [{ id: '2' }] });
  });

  it('refuses appends once closed', async () => {
    const log = open();
    await log.close();
    await expect(log.append([note('a')])).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('keeps every event across a reopen and never reuses an id, even one retention removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-log-'));
    dirs.push(dir);
    const first = open({ retention: { maxEventsPerTopic: 1 } }, dir);
    await first.append([note('a', '1'), note('a', '2'), note('a', '3')]);
    await first.close();
    const second = open({ retention: { maxEventsPerTopic: 1 } }, dir);
    const events = await second.readAfter(null, all('a'), 10);
    expect(events.map((e) => [e.id, e.type === 'notify' && e.data.body])).toEqual([['3', '3']]);
    const [next] = await second.append([note('b')]);
    expect(next!.id).toBe('4');
  });
});

describe('reading', () => {
  it('reads after an id, by exact topics or patterns, in order and up to a limit', async () => {
    const log = open();
    await log.append(['a', 'job/1', 'b', 'job/2/x', 'job/3', 'a'].map((t) => note(t)));
    expect((await log.readAfter(null, all('a,b'), 10)).map((e) => e.id)).toEqual(['1', '3', '6']);
    expect((await log.readAfter('1', all('a,b'), 10)).map((e) => e.id)).toEqual(['3', '6']);
    expect((await log.readAfter(null, all('job/*'), 10)).map((e) => e.id)).toEqual(['2', '5']);
    expect((await log.readAfter(null, all('job/**'), 10)).map((e) => e.id)).toEqual(['2', '4', '5']);
    expect((await log.readAfter('2', all('job/**,a'), 2)).map((e) => e.id)).toEqual(['4', '5']);
    await expect(log.readAfter('x1', all('a'), 1)).rejects.toMatchObject({ code: 'bad_id' });
    // A long list of exact topics takes the walking path and answers the same.
    const many = TopicFilter.parse([...Array.from({ length: 40 }, (_, i) => `t${i}`), 'a', 'b'].join(','));
    expect((await log.readAfter('1', many, 10)).map((e) => e.id)).toEqual(['3', '6']);
  });

  it('tracks each topic: latest event, latest status and level, ended', async () => {
    const log = open();
    await log.append([
      { type: 'update', data: { topic: 'ci', time: 5, status: { state: 'running' } } },
      { type: 'alert', data: { topic: 'ci', time: 6, level: 'warn', message: 'slow' } },
      note('ci', 'fyi', 7),
      { type: 'end', data: { topic: 'job/1', time: 8, state: 'succeeded', exitCode: 0, durationMs: 3, summary: 'ok' } },
    ]);
    expect(await log.topic('ci')).toEqual({
      topic: 'ci', lastId: '3', lastType: 'notify', lastTime: 7, status: { state: 'running' }, level: 'warn', ended: false,
    });
    expect((await log.topics()).map((t) => [t.topic, t.ended])).toEqual([['ci', false], ['job/1', true]]);
    expect(await log.topic('nope')).toBeNull();
  });

  it('answers topic() again after the topic ends, restarts, or retention forgets it, having been asked before', async () => {
    const clock = manualClock();
    const log = open({ retention: { maxAgeMs: 1000 }, clock });
    const end = (time: number): NewEvent => ({ type: 'end', data: { topic: 'job/1', time, state: 'succeeded', exitCode: 0, durationMs: 3, summary: 'ok' } });
    expect(await log.topic('job/1')).toBeNull();
    await log.append([note('job/1', 'started', clock.now())]);
    expect(await log.topic('job/1')).toMatchObject({ lastId: '1', ended: false });
    expect(await log.topic('job/1')).toMatchObject({ lastId: '1', ended: false });
    await log.append([end(clock.now())]);
    expect(await log.topic('job/1')).toMatchObject({ lastId: '2', ended: true });
    await log.append([note('job/1', 'again', clock.now())]);
    expect(await log.topic('job/1')).toMatchObject({ lastId: '3', lastType: 'notify', ended: false });
    await log.append([end(clock.now())]);
    expect(await log.topic('job/1')).toMatchObject({ lastId: '4', ended: true });
    clock.advance(1500);
    await log.prune();
    expect(await log.topic('job/1')).toBeNull();
  });

  it('keeps answering topic() correctly past the number of names it remembers', async () => {
    const log = open();
    await log.append([note('kept')]);
    expect(await log.topic('kept')).toMatchObject({ lastId: '1' });
    for (let i = 0; i < 10_050; i++) expect(await log.topic(`unknown/${i}`)).toBeNull();
    await log.append([note('kept')]);
    expect(await log.topic('kept')).toMatchObject({ lastId: '2' });
    expect(await log.topic('unknown/3')).toBeNull();
  });

  it('remembers the row of each topic asked for, known or not, and never more than its bound', async () => {
    const log = open();
    await log.append([note('kept')]);
    await log.topic('kept');
    await log.topic('kept');
    await log.topic('unknown/a');
    expect(log.rememberedTopics).toBe(2);
    for (let i = 0; log.rememberedTopics < TOPIC_ROW_CACHE_MAX; i++) await log.topic(`unknown/${i}`);
    expect(log.rememberedTopics).toBe(TOPIC_ROW_CACHE_MAX);
    // One more name starts it afresh rather than growing past the bound.
    await log.topic('one/more');
    expect(log.rememberedTopics).toBe(1);
  });

  it('reads nothing for a limit of 0, on either path', async () => {
    const log = open();
    await log.append(['a', 'job/1'].map((t) => note(t)));
    expect(await log.readAfter(null, all('a'), 0)).toEqual([]);
    expect(await log.readAfter(null, all('job/*'), 0)).toEqual([]);
  });

  it('refuses a resume id that is not one of its ids, saying what arrived', async () => {
    const log = open();
    for (const bad of ['x1', '01', '-1']) {
      await expect(log.readAfter(bad, all('a'), 1)).rejects.toMatchObject({ code: 'bad_id', message: `expected an event id of decimal digits, got ${JSON.stringify(bad)}` });
      await expect(log.gapsAfter(bad, all('a'))).rejects.toMatchObject({ code: 'bad_id' });
    }
  });

  it('counts gaps only for the topics a pattern matches', async () => {
    const log = open({ retention: { maxEventsPerTopic: 1 } });
    await log.append(['job/1', 'job/1', 'other', 'other', 'job/2'].map((t) => note(t)));
    expect(await log.gapsAfter('0', all('job/*'))).toEqual([{ topic: 'job/1', lost: 1 }]);
    expect(await log.gapsAfter('0', all('*'))).toEqual([{ topic: 'other', lost: 1 }]);
  });

  it('compares ids numerically and knows their shape', () => {
    const log = open();
    expect(log.compareIds('9', '10')).toBeLessThan(0);
    expect(log.compareIds('10', '10')).toBe(0);
    expect(log.compareIds('200', '31')).toBeGreaterThan(0);
    expect(log.compareIds('12', '13')).toBeLessThan(0);
    expect(log.compareIds('13', '12')).toBeGreaterThan(0);
    // Up to 15 digits every id is a safe integer; at 16 only the safe ones are ids.
    expect(['999999999999999', '1234567890123456', '9007199254740991'].every((id) => log.isValidId(id))).toBe(true);
    expect(['9007199254740992', '9999999999999999'].some((id) => log.isValidId(id))).toBe(false);
    expect(['0', '1', '123456'].every((id) => log.isValidId(id))).toBe(true);
    expect(['', '01', '-1', '1.5', 'abc', '1 ', '99999999999999999'].some((id) => log.isValidId(id))).toBe(false);
  });
});

describe('retention', () => {
  it('keeps the newest events per topic and counts exactly what a resume id lost', async () => {
    const log = open({ retention: { maxEventsPerTopic: 2 } });
    await log.append([note('a', 'a1'), note('b', 'b1'), note('a', 'a2'), note('a', 'a3'), note('a', 'a4'), note('b', 'b2')]);
    // a1 (1), a2 (3) removed; a3 (4), a4 (5), b1 (2), b2 (6) kept.
    expect((await log.readAfter(null, all('a,b'), 10)).map((e) => e.id)).toEqual(['2', '4', '5', '6']);
    expect(await log.gapsAfter('0', all('a,b'))).toEqual([{ topic: 'a', lost: 2 }]);
    expect(await log.gapsAfter('1', all('**'))).toEqual([{ topic: 'a', lost: 1 }]);
    expect(await log.gapsAfter('3', all('a'))).toEqual([]);
    expect(await log.gapsAfter('0', all('b'))).toEqual([]);
  });

  it('drops events older than the age limit and forgets long-quiet topics', async () => {
    const clock = manualClock();
    const log = open({ retention: { maxAgeMs: 1000 }, clock });
    await log.append([note('old', 'o1', clock.now()), note('new', 'n1', clock.now())]);
    clock.advance(600);
    await log.append([note('new', 'n2', clock.now())]);
    clock.advance(600);
    await log.prune();
    expect((await log.readAfter(null, all('*'), 10)).map((e) => e.id)).toEqual(['3']);
    expect(await log.gapsAfter('0', all('*'))).toEqual([{ topic: 'new', lost: 1 }, { topic: 'old', lost: 1 }]);
    expect(await log.topic('old')).toBeNull();
    clock.advance(2000);
    await log.prune();
    // After twice the age limit with nothing retained, the topic and its tombstones go.
    expect(await log.gapsAfter('0', all('old'))).toEqual([]);
    const file = new DatabaseSync(join(dirs.at(-1)!, 'events.sqlite'), { readOnly: true });
    const left = (sql: string) => (file.prepare(sql).get() as { n: number }).n;
    expect([left("SELECT count(*) AS n FROM topics WHERE topic = 'old'"), left("SELECT count(*) AS n FROM pruned WHERE topic = 'old'")]).toEqual([0, 0]);
    file.close();
  });

  it('says the newest id it ever issued (headId) after retention removed every event, and 0 as its start', async () => {
    const clock = manualClock();
    const log = open({ retention: { maxAgeMs: 1000 }, clock });
    expect(await log.headId()).toBeNull();
    await log.append([note('a', 'a1', clock.now()), note('a', 'a2', clock.now())]);
    clock.advance(2000);
    await log.prune();
    expect(await log.readAfter(null, all('a'), 10)).toEqual([]);
    expect(await log.headId()).toBe('2');
    expect(log.startId).toBe('0');
    expect(log.compareIds(log.startId, '1')).toBeLessThan(0);
  });

  it('collapses old tombstones into a count that stays exact for ids older than the topic', async () => {
    const log = open({ retention: { maxEventsPerTopic: 2 }, tombstonesPerTopic: 3 });
    await log.append(Array.from({ length: 10 }, (_, i) => note('a', `a${i + 1}`)));
    // Ids 1-8 removed: 6, 7, 8 kept as tombstones, 1-5 collapsed into a count.
    expect(await log.gapsAfter('0', all('a'))).toEqual([{ topic: 'a', lost: 8 }]);
    expect(await log.gapsAfter('6', all('a'))).toEqual([{ topic: 'a', lost: 2 }]);
    expect(await log.gapsAfter('3', all('a'))).toEqual([{ topic: 'a', lost: null }]);
    expect(await log.gapsAfter('8', all('a'))).toEqual([]);
    // From the last collapsed id on, the tombstones count exactly; from the topic's
    // own first id, some of the collapsed ones came after it: unknown.
    expect(await log.gapsAfter('5', all('a'))).toEqual([{ topic: 'a', lost: 3 }]);
    expect(await log.gapsAfter('1', all('a'))).toEqual([{ topic: 'a', lost: null }]);
  });

  it('collapses nothing while the tombstones are exactly at their cap, then only what passes it', async () => {
    const log = open({ retention: { maxEventsPerTopic: 2 }, tombstonesPerTopic: 3 });
    await log.append(Array.from({ length: 5 }, (_, i) => note('a', `a${i + 1}`)));
    // Ids 1-3 removed, all three kept as tombstones: every count is exact.
    expect(await log.gapsAfter('1', all('a'))).toEqual([{ topic: 'a', lost: 2 }]);
    await log.append([note('a', 'a6')]);
    // Id 4 removed too: only id 1 collapses, so a resume from 1 still counts 2, 3, 4.
    expect(await log.gapsAfter('1', all('a'))).toEqual([{ topic: 'a', lost: 3 }]);
    expect(await log.gapsAfter('0', all('a'))).toEqual([{ topic: 'a', lost: 4 }]);
  });
});
