import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLog, type SqliteEventLog } from '../store/sqlite-log.ts';
import { PublishService } from './publish-service.ts';
import { canonicalJson, changedKeys } from './status-diff.ts';
import type { NewEvent } from '../protocol/events.ts';

let log: SqliteEventLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

const update = (status: Record<string, unknown>, topic = 'probe'): NewEvent => ({ type: 'update', data: { topic, time: 1, status } });

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
});

describe('status comparison', () => {
  it('treats key order as irrelevant and lists added, removed and changed keys', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 1, x: 2 }] })).toBe(canonicalJson({ a: [{ x: 2, y: 1 }], b: 1 }));
    expect(changedKeys({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 4 })).toEqual(['b', 'c', 'd']);
  });
});
