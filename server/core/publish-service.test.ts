import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLog, type SqliteEventLog } from '../store/sqlite-log.ts';
import { PublishService } from './publish-service.ts';
import { canonicalJson, changedKeys } from './status-diff.ts';
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import { TopicFilter } from '../protocol/topics.ts';
import type { EventLog } from '../store/event-log.ts';
import { waitUntil } from '../../test/support/herald-test-server.ts';

let log: SqliteEventLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

const update = (status: Record<string, unknown>, topic = 'probe'): NewEvent => ({ type: 'update', data: { topic, time: 1, status } });

/**
 * A real log whose appends wait until the test passes each one on to it or fails it,
 * so a test orders a failure and a newer claim exactly; it also records the topics
 * whose latest state was read.
 */
function steppedLog(inner: SqliteEventLog) {
  const held: Array<{ pass(): void; fail(error: Error): void }> = [];
  const topicReads: string[] = [];
  let holding = true;
  const log: EventLog = {
    kind: inner.kind,
    append(events) {
      if (!holding) return inner.append(events);
      return new Promise<HeraldEvent[]>((resolve, reject) => {
        held.push({ pass: () => void inner.append(events).then(resolve, reject), fail: reject });
      });
    },
    onEvents: (listener) => inner.onEvents(listener),
    readAfter: (since, filter, limit) => inner.readAfter(since, filter, limit),
    gapsAfter: (since, filter) => inner.gapsAfter(since, filter),
    topics: () => inner.topics(),
    topic(name) {
      topicReads.push(name);
      return inner.topic(name);
    },
    lastId: () => inner.lastId(),
    headId: () => inner.headId(),
    startId: inner.startId,
    isValidId: (raw) => inner.isValidId(raw),
    compareIds: (a, b) => inner.compareIds(a, b),
    prune: () => inner.prune(),
    close: () => inner.close(),
  };
  return {
    log,
    topicReads,
    /** From now on appends go straight to the log. */
    letThrough: () => void (holding = false),
    /** The index-th append (from 0), once a publish has made it. */
    async nextHeld(index: number) {
      await waitUntil(() => held.length > index, () => `expected append ${index + 1}, got ${held.length}`);
      return held[index]!;
    },
  };
}

const notify = (topic = 'probe'): NewEvent => ({ type: 'notify', data: { topic, time: 1, body: 'x', priority: 3, tags: [] } });

const statuses = async (from: SqliteEventLog) =>
  (await from.readAfter(null, TopicFilter.parse('probe'), 100)).map((event) => (event.type === 'update' ? event.data.status : event.type));

describe('PublishService', () => {
  it('appends an update only when the status changed, whatever the key order', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const service = new PublishService(log);
    const first = await service.publish(update({ a: 1, b: { c: 2, d: 3 } }));
    expect(first?.type === 'update' && first.data.changed).toEqual(['a', 'b']);
    expect(await service.publish(update({ b: { d: 3, c: 2 }, a: 1 }))).toBeNull();
    expect(await service.publishWithOutcome(update({ a: 1, b: { c: 2, d: 3 } }))).toEqual({ changed: false, latestId: first!.id });
    const second = await service.publish(update({ a: 2, b: { c: 2, d: 3 } }));
    expect(second?.type === 'update' && second.data.changed).toEqual(['a']);
    service.close();
  });

  it('compares with the status already in the log when it starts', async () => {
    log = openSqliteLog({ path: ':memory:' });
    await log.append([update({ up: true })]);
    const service = new PublishService(log);
    expect(await service.publish(update({ up: true }))).toBeNull();
    expect(await service.publish(update({ up: false }))).not.toBeNull();
    service.close();
  });

  it('keeps only the first of concurrent equal updates, and every other event', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const service = new PublishService(log);
    const results = await Promise.all([
      service.publish(update({ v: 1 })),
      service.publish(update({ v: 1 })),
      service.publish({ type: 'notify', data: { topic: 'probe', time: 1, body: 'x', priority: 3, tags: [] } }),
      service.publish(update({ v: 1 })),
      service.publish(update({ v: 2 })),
    ]);
    expect(results.map((r) => r?.type ?? null)).toEqual(['update', null, 'notify', null, 'update']);
    service.close();
  });

  it('refuses an invalid event before it reaches the log', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const service = new PublishService(log);
    await expect(service.publish({ type: 'notify', data: { topic: 'bad topic', time: 1, body: 'x', priority: 3, tags: [] } })).rejects.toMatchObject({ code: 'bad_topic' });
    await expect(service.publish({ type: 'notify', data: { topic: 'a', time: 1, body: 'x', priority: 7, tags: [] } })).rejects.toThrow(/"priority" to be an integer from 1 to 5, got 7/);
    expect(await log.lastId()).toBeNull();
    service.close();
  });

  it('keeps a newer claim when an earlier update of the topic fails to store, so an equal update is not stored twice', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const stepped = steppedLog(log);
    const service = new PublishService(stepped.log);
    const seeded = service.publish(update({ v: 0 }));
    (await stepped.nextHeld(0)).pass();
    await seeded;
    const failing = service.publish(update({ v: 1 }));
    const failingAppend = await stepped.nextHeld(1);
    const claimed = service.publish(update({ v: 2 }));
    const claimedAppend = await stepped.nextHeld(2);
    failingAppend.fail(new Error('disk full'));
    await expect(failing).rejects.toThrow('disk full');
    // v2 is claimed and still on its way to the log: an equal update waits for it.
    stepped.letThrough();
    const equal = service.publishWithOutcome(update({ v: 2 }));
    claimedAppend.pass();
    const stored = await claimed;
    expect(await equal).toEqual({ changed: false, latestId: stored!.id });
    expect(await statuses(log)).toEqual([{ v: 0 }, { v: 2 }]);
    service.close();
  });

  it('keeps the latest status of at most 10,000 topics and reads an older one back from the log', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const stepped = steppedLog(log);
    stepped.letThrough();
    const topics = Array.from({ length: 10_001 }, (_, i) => `t${i}`);
    const stored = await log.append(topics.map((topic) => update({ v: 1 }, topic)));
    const service = new PublishService(stepped.log);
    for (const topic of topics) await service.publishWithOutcome(update({ v: 1 }, topic));
    expect(stepped.topicReads).toHaveLength(10_001);
    // The 10,001st topic pushed out the first one seen; the second is still known.
    expect(await service.publishWithOutcome(update({ v: 1 }, 't1'))).toEqual({ changed: false, latestId: stored[1]!.id });
    expect(stepped.topicReads).toHaveLength(10_001);
    expect(await service.publishWithOutcome(update({ v: 1 }, 't0'))).toEqual({ changed: false, latestId: stored[0]!.id });
    expect(stepped.topicReads.slice(10_001)).toEqual(['t0']);
    service.close();
  });
});

describe('publishAll', () => {
  it('stores every event of a batch in order, an update as given even when its status did not change', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const service = new PublishService(log);
    await service.publish(update({ v: 1 }));
    const stored = await service.publishAll([notify(), update({ v: 1 })]);
    expect(stored.map((event) => [event.id, event.type])).toEqual([['2', 'notify'], ['3', 'update']]);
    expect(await statuses(log)).toEqual([{ v: 1 }, 'notify', { v: 1 }]);
    service.close();
  });

  it('stores nothing of a batch that holds one invalid event', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const service = new PublishService(log);
    await expect(service.publishAll([notify(), notify('bad topic')])).rejects.toMatchObject({ code: 'bad_topic' });
    expect(await log.lastId()).toBeNull();
    service.close();
  });

  it('answers an empty batch with no events and no write', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const service = new PublishService(log);
    expect(await service.publishAll([])).toEqual([]);
    expect(service.stats.appendSeconds.count).toBe(0);
    expect(service.stats.bySource.size).toBe(0);
    service.close();
  });
});

describe('PublishStats (read by GET /metrics)', () => {
  it('counts stored events by source (internal when none is named) and the updates left out as unchanged', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const service = new PublishService(log);
    await service.publish(update({ v: 1 }));
    expect(await service.publishWithOutcome(update({ v: 1 }), 'http')).toMatchObject({ changed: false });
    await service.publishWithOutcome(notify(), 'http');
    await service.publishAll([notify(), notify()], 'alertmanager');
    await service.publishAll([notify()]);
    expect(Object.fromEntries(service.stats.bySource)).toEqual({ internal: 2, http: 1, alertmanager: 2 });
    expect(service.stats.unchanged).toBe(1);
    expect(service.stats.appendSeconds.count).toBe(4);
    service.close();
  });

  it('records how long an append took in seconds', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const service = new PublishService(log);
    const started = performance.now();
    await service.publish(notify());
    const around = (performance.now() - started) / 1000;
    // A unit check, not a speed one: the append happened within the call measured around it.
    expect(service.stats.appendSeconds.count).toBe(1);
    expect(service.stats.appendSeconds.sum).toBeGreaterThanOrEqual(0);
    expect(service.stats.appendSeconds.sum).toBeLessThanOrEqual(around);
    service.close();
  });
});

describe('status comparison', () => {
  it('treats key order as irrelevant and lists added, removed and changed keys', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 1, x: 2 }] })).toBe(canonicalJson({ a: [{ x: 2, y: 1 }], b: 1 }));
    expect(changedKeys({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 4 })).toEqual(['b', 'c', 'd']);
  });
});
