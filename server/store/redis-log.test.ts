// The Redis EventLog against a real redis-server: two logs over one Redis stand for
// two Herald instances.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { HeraldError } from '../protocol/errors.ts';
import type { NewEvent } from '../protocol/events.ts';
import { TopicFilter } from '../protocol/topics.ts';
import { startRedisServer, type RedisServerProcess } from '../../test/support/redis-server.ts';
import { collectEvents } from '../../test/support/event-collector.ts';
import { openRedisLog, type RedisEventLog, type RedisLogOptions } from './redis-log.ts';

const T0 = 1_700_000_000_000;

function notify(topic: string, body: string, time = T0): NewEvent {
  return { type: 'notify', data: { topic, time, body, priority: 3, tags: [] } };
}

function update(topic: string, status: Record<string, unknown>, time = T0): NewEvent {
  return { type: 'update', data: { topic, time, status } };
}

function bodies(events: ReadonlyArray<{ data: unknown }>): string[] {
  return events.map((event) => String((event.data as { body?: unknown }).body));
}

let redis: RedisServerProcess;
let prefixCount = 0;
const opened: RedisEventLog[] = [];
const logLines: string[] = [];

/** A log under a fresh key prefix, so each test starts with an empty stream. */
async function open(overrides: Partial<RedisLogOptions> = {}, prefix = `t${++prefixCount}:`): Promise<RedisEventLog> {
  const log = await openRedisLog({
    url: redis.url,
    keyPrefix: prefix,
    retention: { maxEventsPerTopic: 1_000, maxAgeMs: 86_400_000 },
    log: (line) => logLines.push(line),
    ...overrides,
  });
  opened.push(log);
  return log;
}

beforeAll(async () => {
  redis = await startRedisServer();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((log) => log.close()));
  logLines.length = 0;
});

afterAll(async () => {
  await redis?.stop();
});

describe('publishing across instances', () => {
  it('delivers every append once, in stream order, to the listeners of every instance', async () => {
    const prefix = 'shared-a:';
    const a = await open({}, prefix);
    const b = await open({}, prefix);
    const onA = collectEvents(a);
    const onB = collectEvents(b);
    const first = await a.append([notify('x', '1'), notify('y', '2')]);
    const second = await b.append([notify('x', '3')]);
    const expected = [...first, ...second].map((event) => event.id);
    expect((await onA.waitFor(3)).map((event) => event.id)).toEqual(expected);
    expect((await onB.waitFor(3)).map((event) => event.id)).toEqual(expected);
    expect(bodies(onA.events)).toEqual(['1', '2', '3']);
    // Nothing more arrives later (no echo of the local append besides the tail's).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onA.events).toHaveLength(3);
    expect(onB.events).toHaveLength(3);
  });

  it('gives events increasing stream ids that any instance can compare and resume from', async () => {
    const prefix = 'shared-b:';
    const a = await open({}, prefix);
    const b = await open({}, prefix);
    const [one, two, three] = await a.append([notify('x', '1'), notify('x', '2'), notify('x', '3')]);
    expect(one && two && three).toBeTruthy();
    if (!one || !two || !three) return;
    for (const event of [one, two, three]) expect(b.isValidId(event.id)).toBe(true);
    expect(b.compareIds(one.id, two.id)).toBeLessThan(0);
    expect(b.compareIds(three.id, two.id)).toBeGreaterThan(0);
    expect(b.compareIds(two.id, two.id)).toBe(0);
    expect(bodies(await b.readAfter(one.id, new TopicFilter(['x']), 10))).toEqual(['2', '3']);
    expect(await b.lastId()).toBe(three.id);
  });

  it('refuses ids that are not stream ids', async () => {
    const log = await open();
    for (const bad of ['', '12', '12-', '-1', 'a-1', '1-2-3', '1-2\n', '99999999999999999999-0']) {
      expect(log.isValidId(bad), bad).toBe(false);
    }
    expect(log.isValidId('0-0')).toBe(true);
    expect(log.isValidId('18446744073709551615-18446744073709551615')).toBe(true);
  });
});

describe('reading back', () => {
  it('reads after an id exclusively, by topic pattern, up to a limit, across read pages', async () => {
    const log = await open();
    const batch: NewEvent[] = [];
    for (let i = 0; i < 1_200; i++) batch.push(notify(i % 3 === 0 ? 'job/a/1' : 'other', String(i)));
    const written = await log.append(batch);
    const jobs = await log.readAfter(null, new TopicFilter(['job/*/*']), 10_000);
    expect(jobs).toHaveLength(400);
    expect(jobs.every((event) => event.data.topic === 'job/a/1')).toBe(true);
    const tenth = written[9];
    if (!tenth) throw new Error('append returned fewer events than given');
    const after = await log.readAfter(tenth.id, new TopicFilter(['other', 'job/**']), 5);
    expect(bodies(after)).toEqual(['10', '11', '12', '13', '14']);
    expect(await log.readAfter(written[written.length - 1]?.id ?? '', new TopicFilter(['other']), 10)).toEqual([]);
  });

  it('reads named topics from their own id lists with the same answer as a scan', async () => {
    const log = await open({ retention: { maxEventsPerTopic: 50, maxAgeMs: 86_400_000 } });
    const batch: NewEvent[] = [];
    for (let i = 0; i < 300; i++) batch.push(notify(i % 10 === 0 ? 'quiet' : i % 2 === 0 ? 'busy/a' : 'busy/b', String(i)));
    const written = await log.append(batch);
    const byList = await log.readAfter(null, new TopicFilter(['quiet', 'busy/a']), 1_000);
    const byScan = await log.readAfter(null, new TopicFilter(['quiet', 'busy/a', 'never/*']), 1_000);
    expect(byList.map((event) => event.id)).toEqual(byScan.map((event) => event.id));
    // quiet keeps all 30; busy/a (120 written) keeps its newest 50.
    expect(byList.filter((event) => event.data.topic === 'quiet')).toHaveLength(30);
    expect(byList.filter((event) => event.data.topic === 'busy/a')).toHaveLength(50);
    const since = written[200]?.id ?? '';
    const page = await log.readAfter(since, new TopicFilter(['quiet', 'busy/a']), 7);
    expect(page).toEqual((await log.readAfter(since, new TopicFilter(['quiet', 'busy/a', 'never/*']), 7)));
    expect(page).toHaveLength(7);
  });

  it('keeps the latest state of each topic where every instance can read it', async () => {
    const prefix = 'state:';
    const a = await open({}, prefix);
    const b = await open({}, prefix);
    await a.append([update('disk', { used: 10 }, T0)]);
    await a.append([
      { type: 'alert', data: { topic: 'disk', time: T0 + 1, level: 'warn', message: 'disk at 91%' } },
      notify('disk', 'cleaned up', T0 + 2),
    ]);
    const [end] = await a.append([
      { type: 'end', data: { topic: 'job/x/1', time: T0 + 3, state: 'succeeded', exitCode: 0, durationMs: 5, summary: 'ok' } },
    ]);
    const disk = await b.topic('disk');
    expect(disk).toMatchObject({ topic: 'disk', lastType: 'notify', lastTime: T0 + 2, status: { used: 10 }, level: 'warn', ended: false });
    expect(await b.topic('job/x/1')).toMatchObject({ lastId: end?.id, lastType: 'end', status: null, level: null, ended: true });
    expect(await b.topic('never')).toBeNull();
    expect((await b.topics()).map((state) => state.topic)).toEqual(['disk', 'job/x/1']);
  });
});

describe('retention', () => {
  it('keeps at most maxEventsPerTopic per topic, so a chatty topic does not push out a quiet one', async () => {
    const log = await open({ retention: { maxEventsPerTopic: 3, maxAgeMs: 86_400_000 } });
    const [quiet] = await log.append([notify('quiet', 'q')]);
    const chatty = await log.append(Array.from({ length: 10 }, (_, i) => notify('chatty', String(i))));
    expect(bodies(await log.readAfter(null, new TopicFilter(['chatty']), 100))).toEqual(['7', '8', '9']);
    expect(bodies(await log.readAfter(null, new TopicFilter(['quiet']), 100))).toEqual(['q']);
    // A client that saw only `quiet` lost chatty's 0..6, and nothing of `quiet`.
    const gaps = await log.gapsAfter(quiet?.id ?? '', new TopicFilter(['quiet', 'chatty']));
    expect(gaps).toEqual([{ topic: 'chatty', lost: null }]);
    // A client that saw chatty's 6 lost nothing.
    expect(await log.gapsAfter(chatty[6]?.id ?? '', new TopicFilter(['chatty']))).toEqual([]);
  });

  it('drops events and topic states older than maxAgeMs when it prunes', async () => {
    const log = await open({ retention: { maxEventsPerTopic: 100, maxAgeMs: 50 } });
    await log.append([notify('a', 'old'), notify('b', 'old')]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await log.prune();
    expect(await log.readAfter(null, new TopicFilter(['a', 'b']), 10)).toEqual([]);
    expect(await log.topics()).toEqual([]);
  });

  it('says the newest id ever added (headId) once age retention trimmed the whole stream, and 0-0 as its start', async () => {
    const log = await open({ retention: { maxEventsPerTopic: 100, maxAgeMs: 50 } });
    expect(await log.headId()).toBeNull();
    const [, last] = await log.append([notify('a', 'old'), notify('b', 'old')]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await log.prune();
    expect(await log.lastId()).toBeNull();
    expect(await log.headId()).toBe(last!.id);
    expect(log.startId).toBe('0-0');
    expect(log.compareIds(log.startId, last!.id)).toBeLessThan(0);
  });
});

describe('a shared stream with foreign entries', () => {
  it('skips an entry that is not a Herald event and says so, without stopping the tail', async () => {
    const prefix = 'foreign:';
    const log = await open({}, prefix);
    const heard = collectEvents(log);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      await raw.xAdd(`${prefix}events`, '*', { something: 'else' });
      await raw.xAdd(`${prefix}events`, '*', { topic: 'x', type: 'notify', data: '{not json' });
    } finally {
      await raw.close();
    }
    await log.append([notify('x', 'after')]);
    expect(bodies(await heard.waitFor(1))).toEqual(['after']);
    expect(bodies(await log.readAfter(null, new TopicFilter(['x']), 10))).toEqual(['after']);
    expect(logLines.some((line) => line.includes('is not a Herald event'))).toBe(true);
    expect(logLines.some((line) => line.includes('not JSON'))).toBe(true);
  });
});

describe('when Redis is unavailable', () => {
  it('refuses to open, naming the URL without its password and the cause', async () => {
    const closedPort = redis.port + 1 === 65_536 ? redis.port - 1 : redis.port + 1;
    const url = `redis://herald:s3cret@127.0.0.1:${closedPort}/0`;
    const error = await openRedisLog({ url, retention: { maxEventsPerTopic: 10, maxAgeMs: 1_000 }, log: () => {} }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).code).toBe('unavailable');
    expect((error as HeraldError).message).toContain(`127.0.0.1:${closedPort}`);
    expect((error as HeraldError).message).toContain('ECONNREFUSED');
    expect((error as HeraldError).message).not.toContain('s3cret');
  });

  it('refuses a URL that is not redis://, saying what it expected', async () => {
    const error = await openRedisLog({ url: 'http://user:pw@127.0.0.1:1', retention: { maxEventsPerTopic: 1, maxAgeMs: 1 } }).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).code).toBe('bad_config');
    expect((error as HeraldError).message).toMatch(/expected a Redis URL such as redis:\/\/.*got "http:\/\/127\.0\.0\.1:1\/"/);
  });

  it('answers appends with 503 while Redis stalls, then loses nothing it accepted and resumes the tail', async () => {
    const prefix = 'stall:';
    const a = await open({ commandTimeoutMs: 1_000 }, prefix);
    const b = await open({ commandTimeoutMs: 1_000, tailBlockMs: 200 }, prefix);
    const onB = collectEvents(b);
    await a.append([notify('x', 'before')]);
    await onB.waitFor(1);
    redis.pause();
    let refused: unknown;
    try {
      refused = await a.append([notify('x', 'during')]).then(() => null, (reason: unknown) => reason);
    } finally {
      redis.resume();
    }
    expect(refused).toBeInstanceOf(HeraldError);
    expect((refused as HeraldError).status).toBe(503);
    expect((refused as HeraldError).retryAfterSec).toBeGreaterThan(0);
    await a.append([notify('x', 'after')]);
    // 'during' timed out on our side but may still have reached Redis before the
    // stall; everything that was acknowledged arrives, in order, exactly once.
    const heard = bodies(await onB.waitFor(2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = bodies(onB.events).filter((body) => body !== 'during');
    expect(heard[0]).toBe('before');
    expect(all).toEqual(['before', 'after']);
  });

  it('answers 503 while Redis is down, and after a restart the tail goes on from its last id', async () => {
    const durable = await startRedisServer({ persistent: true });
    try {
      const options = { url: durable.url, keyPrefix: 'restart:', tailBlockMs: 200 };
      const a = await open(options);
      const b = await open(options);
      const onB = collectEvents(b);
      await a.append([notify('x', 'before')]);
      await onB.waitFor(1);
      await durable.kill();
      const refused = await a.append([notify('x', 'during')]).catch((reason: unknown) => reason);
      expect(refused).toBeInstanceOf(HeraldError);
      expect((refused as HeraldError).status).toBe(503);
      expect((refused as HeraldError).message).toContain('unavailable');
      // a appends as soon as its own connection is back, perhaps before b's tail has
      // reconnected: b must still hear it, from the id it had reached.
      await durable.start();
      await waitUntil(() => a.available, 'the command connection to come back');
      await a.append([notify('x', 'after')]);
      expect(bodies(await onB.waitFor(2))).toEqual(['before', 'after']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(bodies(onB.events)).toEqual(['before', 'after']);
      expect(logLines.some((line) => line.includes('lost the Redis'))).toBe(true);
    } finally {
      await Promise.all(opened.splice(0).map((log) => log.close()));
      await durable.stop();
    }
  });
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
