// replay() called directly, on a real SQLite log and a real socket, with a stream
// format that leaves some events out and a `skip` (as ntfy's streams use them): what
// is sent, what is counted, and where each next page starts and how big it is.

import { afterEach, describe, expect, it } from 'vitest';
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import { TopicFilter } from '../protocol/topics.ts';
import type { EventLog } from '../store/event-log.ts';
import { openSqliteLog, type SqliteEventLog } from '../store/sqlite-log.ts';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { firstPageLimit, pageBytesFor, replay, MAX_PAGE_BYTES } from './replay.ts';
import { ResponseServer } from './socket-test-support.ts';
import { SseConnection } from './sse-connection.ts';
import type { StreamFormat } from './stream-format.ts';
import { Subscription } from './subscription.ts';

const responses = new ResponseServer();
const logs: SqliteEventLog[] = [];

afterEach(async () => {
  await responses.close();
  for (const log of logs.splice(0)) await log.close();
});

const FILTER = TopicFilter.parse('x');
const note = (body: string): NewEvent => ({ type: 'notify', data: { topic: 'x', time: 1, body, priority: 3, tags: [] } });
const end = (): NewEvent => ({ type: 'end', data: { topic: 'x', time: 1, state: 'succeeded', exitCode: 0, durationMs: 1, summary: '' } });

/** Writes a message's body on a line; carries no other event. */
const BODY_LINES: StreamFormat = {
  encode: (event: HeraldEvent) => (event.type === 'notify' ? Buffer.from(`${event.data.body}\n`) : null),
};

async function setup(events: NewEvent[]) {
  const log = openSqliteLog({ path: ':memory:', retention: { maxEventsPerTopic: 10_000 } });
  logs.push(log);
  await log.append(events);
  const { res } = await responses.open();
  const sent: string[] = [];
  const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
  const enqueue = connection.enqueue.bind(connection);
  connection.enqueue = (frame) => (sent.push(frame.toString()), enqueue(frame));
  const sub = new Subscription({ filter: FILTER, connection, compareIds: log.compareIds, maxHeldBytes: 1 << 20, format: BODY_LINES });
  const reads: Array<{ since: string | null; limit: number }> = [];
  // The real log; only the reads are recorded.
  const recording = { readAfter: (since, filter, limit) => (reads.push({ since, limit }), log.readAfter(since, filter, limit)) } as Pick<EventLog, 'readAfter'> as EventLog;
  return { log, sub, sent, reads, recording };
}

describe('replay', () => {
  it('reads past the events its format leaves out and those skip names, and counts only what it sent', async () => {
    const { log, sub, sent, reads, recording } = await setup([note('a'), end(), note('skip me'), note('b'), end(), note('c')]);
    const first = await log.readAfter(null, FILTER, firstPageLimit(2));
    const skip = (event: HeraldEvent): boolean => event.type === 'notify' && event.data.body === 'skip me';
    const result = await replay(sub, first, { log: recording, filter: FILTER, clock: new ManualClock(), pageSize: 2, pageBytes: 1 << 16, deadlineAt: Infinity }, skip);
    expect(result).toEqual({ complete: true, sent: 3 });
    expect(sent).toEqual(['a\n', 'b\n', 'c\n']);
    // Each page starts after the last event the one before read, sent or not.
    expect(reads).toEqual([
      { since: '2', limit: 2 },
      { since: '4', limit: 2 },
      { since: '6', limit: 2 },
    ]);
  });

  it('reads on with the first page size after a page whose events were all left out', async () => {
    const { log, sub, sent, reads, recording } = await setup([...Array.from({ length: 16 }, end), note('late')]);
    const first = await log.readAfter(null, FILTER, firstPageLimit(500));
    const result = await replay(sub, first, { log: recording, filter: FILTER, clock: new ManualClock(), pageSize: 500, pageBytes: 1 << 16, deadlineAt: Infinity });
    expect(result).toEqual({ complete: true, sent: 1 });
    expect(sent).toEqual(['late\n']);
    // No size is known yet, so the next page is as big as a first page, not the page size.
    expect(reads[0]).toEqual({ since: '16', limit: 16 });
  });

  it('stops, not complete, when the connection closed while it read', async () => {
    const { log, sub, sent, recording } = await setup(Array.from({ length: 20 }, (_, i) => note(`b${i}`)));
    const first = await log.readAfter(null, FILTER, firstPageLimit(500));
    const closing: EventLog = { readAfter: async (since, filter, limit) => {
      const page = await recording.readAfter(since, filter, limit);
      sub.connection.close('client');
      return page;
    } } as Pick<EventLog, 'readAfter'> as EventLog;
    const result = await replay(sub, first, { log: closing, filter: FILTER, clock: new ManualClock(), pageSize: 500, pageBytes: 1 << 16, deadlineAt: Infinity });
    expect(result).toEqual({ complete: false, sent: 16 });
    expect(sent).toHaveLength(16);
  });
});

describe('page sizes', () => {
  it('budgets a quarter of the queue limit per page, at most 64 KiB and at least one byte', () => {
    expect(pageBytesFor(4000)).toBe(1000);
    expect(pageBytesFor(4003)).toBe(1000);
    expect(pageBytesFor(4 * MAX_PAGE_BYTES)).toBe(MAX_PAGE_BYTES);
    expect(pageBytesFor(1 << 30)).toBe(MAX_PAGE_BYTES);
    expect(pageBytesFor(3)).toBe(1);
  });

  it('asks for at most 16 events first, at least one', () => {
    expect([firstPageLimit(500), firstPageLimit(16), firstPageLimit(3), firstPageLimit(0)]).toEqual([16, 16, 3, 1]);
  });
});
