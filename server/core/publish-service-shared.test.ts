// Two PublishServices over one log, as two instances over a shared log: each hears
// the other's updates through the log and compares with them; a batch that fails to
// store forgets its claim; a publisher's own `changed` list is kept.

import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import type { NewEvent } from '../protocol/events.ts';
import { SqliteEventLog, openSqliteLog } from '../store/sqlite-log.ts';
import { PublishService } from './publish-service.ts';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function sharedLog(): SqliteEventLog {
  const log = openSqliteLog({ path: ':memory:' });
  closers.push(() => log.close());
  return log;
}

function service(log: SqliteEventLog): PublishService {
  const s = new PublishService(log);
  closers.push(() => s.close());
  return s;
}

const update = (status: Record<string, unknown>, topic = 'probe', changed?: string[]): NewEvent => ({
  type: 'update',
  data: { topic, time: 1, status, ...(changed ? { changed } : {}) },
});
const notify = (topic = 'probe'): NewEvent => ({ type: 'notify', data: { topic, time: 1, body: 'x', priority: 3, tags: [] } });

describe('two publishers over one log', () => {
  it("compares with the other's latest update, not only its own", async () => {
    const log = sharedLog();
    const a = service(log);
    const b = service(log);
    expect(await b.publish(update({ v: 1 }))).not.toBeNull();
    const fromA = await a.publish(update({ v: 2 }));
    expect(fromA).not.toBeNull();
    // B knows v2 is now the latest: the same status is unchanged, with A's id...
    expect(await b.publishWithOutcome(update({ v: 2 }))).toEqual({ changed: false, latestId: fromA!.id });
    // ...and its own old status is a change again.
    expect(await b.publish(update({ v: 1 }))).not.toBeNull();
  });

  it('keeps the latest status when other event types pass through the log', async () => {
    const log = sharedLog();
    const a = service(log);
    const b = service(log);
    const first = await b.publish(update({ v: 1 }));
    await a.publish(notify());
    expect(await b.publishWithOutcome(update({ v: 1 }))).toEqual({ changed: false, latestId: first!.id });
  });

  it('hears every update of a batch, also after one for a topic it never compared', async () => {
    const log = sharedLog();
    const a = service(log);
    const b = service(log);
    await b.publish(update({ v: 1 }, 'known'));
    // One tick: one batch, the unknown topic first.
    await Promise.all([a.publish(update({ v: 9 }, 'unknown')), a.publish(update({ v: 2 }, 'known'))]);
    expect(await b.publish(update({ v: 1 }, 'known'))).not.toBeNull();
  });
});

describe('a publisher', () => {
  it('keeps only the first of concurrent equal updates on each of several topics', async () => {
    const s = service(sharedLog());
    const results = await Promise.all(['x', 'y', 'x', 'z', 'y', 'x'].map((topic) => s.publish(update({ v: 1 }, topic))));
    expect(results.map((r) => r?.data.topic ?? null)).toEqual(['x', 'y', null, 'z', null, null]);
  });

  it("keeps the `changed` list it was given rather than computing one", async () => {
    const s = service(sharedLog());
    await s.publish(update({ a: 1, b: 1 }));
    const stored = await s.publish(update({ a: 2, b: 2 }, 'probe', ['a']));
    expect(stored?.type === 'update' && stored.data.changed).toEqual(['a']);
  });

  it('forgets the status of an update that could not be stored, so the same status is tried again', async () => {
    const db = new DatabaseSync(':memory:');
    const log = new SqliteEventLog(db);
    closers.push(() => log.close());
    const s = service(log);
    await s.publish(update({ v: 0 }));
    db.exec(`PRAGMA max_page_count = ${(db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count}`);
    const big = { v: 'x'.repeat(20_000) };
    const [failed, waiting] = await Promise.allSettled([s.publish(update(big)), s.publishWithOutcome(update(big))]);
    expect(failed).toMatchObject({ status: 'rejected', reason: { code: 'unavailable' } });
    // An equal update that waited on the failed one is not left hanging.
    expect(waiting).toEqual({ status: 'fulfilled', value: { changed: false, latestId: null } });
    db.exec('PRAGMA max_page_count = 1073741823');
    expect(await s.publish(update(big))).not.toBeNull();
  });

  it('reads the log again after a failed read of the latest status', async () => {
    const db = new DatabaseSync(':memory:');
    const log = new SqliteEventLog(db);
    closers.push(() => log.close());
    await log.append([update({ v: 1 })]);
    const s = service(log);
    db.exec('ALTER TABLE topics RENAME TO topics_away');
    await expect(s.publish(update({ v: 1 }))).rejects.toThrow(/no such table: topics/);
    db.exec('ALTER TABLE topics_away RENAME TO topics');
    expect(await s.publishWithOutcome(update({ v: 1 }))).toEqual({ changed: false, latestId: '1' });
  });
});
