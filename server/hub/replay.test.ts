// replay() called directly, on a real SQLite log and a real socket, with a stream
// format that leaves some events out and a `skip` (as ntfy's streams use them): what
// is sent, what is counted, and where each next page starts and how big it is.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import { TopicFilter } from '../protocol/topics.ts';
import type { EventLog } from '../store/event-log.ts';
import { openSqliteLog, type SqliteEventLog } from '../store/sqlite-log.ts';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { streamHeaders } from './open-stream.ts';
import { firstPageLimit, pageBytesFor, replay, MAX_PAGE_BYTES } from './replay.ts';
import { ResponseServer } from '../../test/support/response-server.ts';
import { SseConnection, type CloseReason } from './sse-connection.ts';
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

async function setup(events: NewEvent[], options: { paused?: boolean; format?: StreamFormat; takeOver?: boolean } = {}) {
  const log = openSqliteLog({ path: ':memory:', retention: { maxEventsPerTopic: 10_000 } });
  logs.push(log);
  await log.append(events);
  const { res, client, received } = await responses.open(options.paused ?? false, options.takeOver !== true);
  const sent: string[] = [];
  const closes: CloseReason[] = [];
  const connection = new SseConnection(res, { maxQueueBytes: 1 << 30, onClose: (reason) => closes.push(reason) });
  // As openStream does: the head goes out on the socket taken over from node:http.
  if (options.takeOver === true) connection.begin(streamHeaders({ heartbeatMs: 0 }));
  const enqueue = connection.enqueue.bind(connection);
  connection.enqueue = (frame) => (sent.push(frame.toString()), enqueue(frame));
  const sub = new Subscription({ filter: FILTER, connection, compareIds: log.compareIds, maxHeldBytes: 1 << 30, format: options.format ?? BODY_LINES });
  const reads: Array<{ since: string | null; limit: number }> = [];
  // The real log; only the reads are recorded.
  const recording = { readAfter: (since, filter, limit) => (reads.push({ since, limit }), log.readAfter(since, filter, limit)) } as Pick<EventLog, 'readAfter'> as EventLog;
  return { log, sub, sent, reads, recording, client, received, closes };
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

/** Writes each event as `size` bytes: a line of its body padded with dots. */
const padded = (size: number): StreamFormat => ({
  encode: (event: HeraldEvent) => {
    const body = event.type === 'notify' ? event.data.body : event.type;
    return Buffer.from(`${body}${'.'.repeat(Math.max(0, size - body.length - 1))}\n`);
  },
});

/** What the socket looked like each time replay flushed a page. */
function watchFlushes(connection: SseConnection): Array<{ pushedBack: boolean; pendingBytes: number }> {
  const states: Array<{ pushedBack: boolean; pendingBytes: number }> = [];
  const flush = connection.flush.bind(connection);
  connection.flush = () => {
    flush();
    if (!connection.closed) states.push({ pushedBack: connection.pushedBack, pendingBytes: connection.pendingBytes });
  };
  return states;
}

/** The replay's result, or 'still waiting' if it has not ended within a safety bound. */
async function settled<T>(result: Promise<T>): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'still waiting'>((resolve) => (timer = setTimeout(() => resolve('still waiting'), 3000)));
  try {
    return await Promise.race([result, bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe('waiting for the socket to take a page', () => {
  it('drops the replay as stalled at once when the deadline has already passed and the socket still holds bytes', async () => {
    const { log, sub, recording, closes } = await setup([note('big')], { paused: true, format: padded(16 << 20) });
    const clock = new ManualClock();
    const first = await log.readAfter(null, FILTER, firstPageLimit(500));
    const result = await settled(replay(sub, first, { log: recording, filter: FILTER, clock, pageSize: 500, pageBytes: 1 << 16, deadlineAt: clock.now() }));
    expect(result).toEqual({ complete: false, sent: 1 });
    expect(closes).toEqual(['stalled']);
    expect(clock.pending).toBe(0);
  });

  it('drops the replay as stalled when the deadline passes while the socket holds bytes, and not before', async () => {
    const { log, sub, recording, closes } = await setup([note('big')], { paused: true, format: padded(16 << 20) });
    const clock = new ManualClock();
    const first = await log.readAfter(null, FILTER, firstPageLimit(500));
    let result: unknown = 'still waiting';
    const replaying = replay(sub, first, { log: recording, filter: FILTER, clock, pageSize: 500, pageBytes: 1 << 16, deadlineAt: clock.now() + 1000 });
    void replaying.then((r) => (result = r));
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(result).toBe('still waiting');
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(await settled(replaying)).toEqual({ complete: false, sent: 1 });
    expect(closes).toEqual(['stalled']);
  });

  it('completes once a reader that was behind takes the page before the deadline, and leaves no deadline timer behind', async () => {
    const { log, sub, recording, closes, client } = await setup([note('big')], { paused: true, format: padded(16 << 20) });
    const clock = new ManualClock();
    const first = await log.readAfter(null, FILTER, firstPageLimit(500));
    const replaying = replay(sub, first, { log: recording, filter: FILTER, clock, pageSize: 500, pageBytes: 1 << 16, deadlineAt: clock.now() + 1000 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sub.connection.pushedBack).toBe(true);
    expect(clock.pending).toBe(1);
    client.resume();
    expect(await settled(replaying)).toEqual({ complete: true, sent: 1 });
    expect(closes).toEqual([]);
    // The deadline timer was cleared: time passing later drops nothing and fires nothing.
    expect(clock.pending).toBe(0);
  });

  it('completes when the socket pushed back but the kernel took the page whole, though the deadline has passed', async () => {
    // A page above the socket's high-water mark makes write() answer false even when
    // the kernel takes it all at once; nothing is left in this process, so it is taken.
    const { log, sub, recording, closes, received } = await setup([note('a'), note('b')], { format: padded(80 * 1024), takeOver: true });
    const states = watchFlushes(sub.connection);
    const clock = new ManualClock();
    const first = await log.readAfter(null, FILTER, 1);
    const result = await settled(replay(sub, first, { log: recording, filter: FILTER, clock, pageSize: 1, pageBytes: 1 << 16, deadlineAt: clock.now() }));
    // The case this test is about happened: pushed back with nothing pending.
    expect(states[0]).toEqual({ pushedBack: true, pendingBytes: 0 });
    expect(result).toEqual({ complete: true, sent: 2 });
    expect(closes).toEqual([]);
    expect(clock.pending).toBe(0);
    // Both pages reached the reader, each its own chunk after the stream's head.
    await vi.waitFor(() => expect(received().match(/\r\n(?:a|b)\.{10}/g)).toHaveLength(2));
  });

  it('goes on while the socket has not pushed back, though it still holds bytes and the deadline has passed', async () => {
    // Pages below the high-water mark to a reader that never reads: the kernel fills,
    // then a write is taken in part (bytes left here, no push-back yet), then one pushes back.
    const events = Array.from({ length: 2000 }, (_, i) => note(`p${i}`));
    const { log, sub, recording, closes } = await setup(events, { paused: true, format: padded(16 * 1024) });
    const states = watchFlushes(sub.connection);
    const clock = new ManualClock();
    const first = await log.readAfter(null, FILTER, 1);
    const result = await settled(replay(sub, first, { log: recording, filter: FILTER, clock, pageSize: 1, pageBytes: 1 << 14, deadlineAt: clock.now() }));
    expect(result).toMatchObject({ complete: false });
    expect(closes).toEqual(['stalled']);
    // Bytes were left here without a push-back, and the replay went on past them ...
    expect(states.some((s) => !s.pushedBack && s.pendingBytes > 0)).toBe(true);
    // ... to stop only at the page the socket pushed back on.
    expect(states.at(-1)?.pushedBack).toBe(true);
    expect(states.slice(0, -1).every((s) => !s.pushedBack)).toBe(true);
  });
});
