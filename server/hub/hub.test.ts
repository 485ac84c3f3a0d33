// The hub and its subscriptions on real sockets and a real SQLite log, time on a
// ManualClock: fan-out by exact topic and by pattern, streams of other formats (as
// ntfy's are), the heartbeat, and the counts GET /metrics and the status page read.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import { TopicFilter } from '../protocol/topics.ts';
import { openSqliteLog, type SqliteEventLog } from '../store/sqlite-log.ts';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { Hub } from './hub.ts';
import { ResponseServer } from '../../test/support/response-server.ts';
import { SseConnection, type CloseReason } from './sse-connection.ts';
import { HERALD_SSE, type StreamFormat } from './stream-format.ts';
import { Subscription } from './subscription.ts';

const responses = new ResponseServer();
const logs: SqliteEventLog[] = [];
const hubs: Hub[] = [];

afterEach(async () => {
  for (const hub of hubs.splice(0)) hub.closeAll();
  await responses.close();
  for (const log of logs.splice(0)) await log.close();
});

function setup(options: { heartbeatMs?: number } = {}): { log: SqliteEventLog; hub: Hub; clock: ManualClock } {
  const log = openSqliteLog({ path: ':memory:' });
  logs.push(log);
  const clock = new ManualClock();
  const hub = new Hub(log, { heartbeatMs: options.heartbeatMs ?? 0, clock });
  hubs.push(hub);
  return { log, hub, clock };
}

interface Subscriber {
  sub: Subscription;
  connection: SseConnection;
  /** Frames queued on the connection, as text. */
  frames: string[];
  closed: CloseReason[];
  received(): string;
}

async function subscriber(
  hub: Hub,
  log: SqliteEventLog,
  topics: string,
  options: Partial<ConstructorParameters<typeof Subscription>[0]> & { live?: boolean; paused?: boolean } = {},
): Promise<Subscriber> {
  const { res, received } = await responses.open(options.paused ?? false);
  const closed: CloseReason[] = [];
  let sub: Subscription | undefined;
  const connection = new SseConnection(res, {
    maxQueueBytes: 1 << 20,
    onClose: (reason) => {
      closed.push(reason);
      if (sub) hub.remove(sub, reason);
    },
  });
  const frames: string[] = [];
  const enqueue = connection.enqueue.bind(connection);
  connection.enqueue = (frame) => (frames.push(frame.toString()), enqueue(frame));
  sub = new Subscription({ filter: TopicFilter.parse(topics), connection, compareIds: log.compareIds, maxHeldBytes: 1 << 20, ...options });
  if (options.live !== false) sub.goLive();
  hub.add(sub);
  return { sub, connection, frames, closed, received };
}

const note = (topic: string, body: string): NewEvent => ({ type: 'notify', data: { topic, time: 1, body, priority: 3, tags: [] } });
const end = (topic: string): NewEvent => ({ type: 'end', data: { topic, time: 1, state: 'succeeded', exitCode: 0, durationMs: 1, summary: '' } });
const bodies = (s: Subscriber): string[] => s.frames.map((f) => /"body":"([^"]*)"/.exec(f)?.[1] ?? /event: (\w+)/.exec(f)?.[1] ?? f);

/** A format that writes only an event's body, or nothing for events without one. */
const BODY_ONLY: StreamFormat = {
  encode: (event: HeraldEvent) => (event.type === 'notify' ? Buffer.from(`body ${event.data.body}\n`) : null),
};

describe('Hub fan-out', () => {
  it('sends each event to the subscribers of its exact topic and of every matching pattern, and to no one else', async () => {
    const { log, hub } = setup();
    const exact = await subscriber(hub, log, 'a');
    const both = await subscriber(hub, log, 'a,b');
    const pattern = await subscriber(hub, log, 'jobs/*');
    const other = await subscriber(hub, log, 'c');
    await log.append([note('a', 'to a'), note('b', 'to b'), note('jobs/x', 'to jobs/x'), note('jobs/x/y', 'too deep'), note('d', 'nobody')]);
    expect(bodies(exact)).toEqual(['to a']);
    expect(bodies(both)).toEqual(['to a', 'to b']);
    expect(bodies(pattern)).toEqual(['to jobs/x']);
    expect(bodies(other)).toEqual([]);
    expect(hub.stats.deliveries).toBe(4);
  });

  it('counts the subscribers of a topic, by exact topic and by pattern', async () => {
    const { log, hub } = setup();
    expect(hub.subscribersOf('a')).toBe(0);
    const one = await subscriber(hub, log, 'a');
    await subscriber(hub, log, 'a,b');
    await subscriber(hub, log, '*');
    await subscriber(hub, log, 'b/*');
    expect([hub.subscribersOf('a'), hub.subscribersOf('b'), hub.subscribersOf('b/x'), hub.subscribersOf('c')]).toEqual([3, 2, 1, 1]);
    hub.remove(one.sub);
    expect(hub.subscribersOf('a')).toBe(2);
    expect(hub.size).toBe(3);
  });

  it('forgets a removed subscriber: it gets no more events and is counted once', async () => {
    const { log, hub } = setup();
    const gone = await subscriber(hub, log, 'a,b');
    const wild = await subscriber(hub, log, '*');
    const stays = await subscriber(hub, log, 'a');
    hub.remove(gone.sub, 'overflow');
    hub.remove(gone.sub, 'overflow');
    hub.remove(wild.sub, 'stalled');
    await log.append([note('a', 'after'), note('b', 'after b')]);
    expect(bodies(gone)).toEqual([]);
    expect(bodies(wild)).toEqual([]);
    expect(bodies(stays)).toEqual(['after']);
    expect([hub.size, hub.overflowDrops, hub.stalledDrops]).toEqual([1, 1, 1]);
    expect(hub.subscribersOf('b')).toBe(0);
  });

  it('drops no one for a close that is neither an overflow nor a stall', async () => {
    const { log, hub } = setup();
    for (const reason of ['client', 'ended', 'shutdown'] as const) hub.remove((await subscriber(hub, log, 'a')).sub, reason);
    expect([hub.size, hub.overflowDrops, hub.stalledDrops]).toEqual([0, 0, 0]);
  });

  it('writes each subscriber\'s own format, encoding an event once per format, and skips a subscriber whose format does not carry it', async () => {
    const { log, hub } = setup();
    const encode = vi.fn(BODY_ONLY.encode);
    const bodyOnly: StreamFormat = { encode };
    const herald = await subscriber(hub, log, 'a');
    const plain1 = await subscriber(hub, log, 'a', { format: bodyOnly });
    const plain2 = await subscriber(hub, log, '*', { format: bodyOnly });
    await log.append([note('a', 'hello'), end('a')]);
    expect(plain1.frames).toEqual(['body hello\n']);
    expect(plain2.frames).toEqual(['body hello\n']);
    expect(herald.frames[0]).toMatch(/^id: 1\nevent: notify\ndata: /);
    expect(bodies(herald)).toEqual(['hello', 'end']);
    expect(encode).toHaveBeenCalledTimes(2);
    // The end was not written to the body-only streams, so it is not a delivery.
    expect(hub.stats.deliveries).toBe(4);
  });

  it('does not count an event a stream\'s filter leaves out as a delivery, live or held during replay, and releases the rest', async () => {
    const { log, hub } = setup();
    const accepts = (event: HeraldEvent): boolean => event.type === 'notify' && event.data.body !== 'filtered';
    const live = await subscriber(hub, log, 'a', { format: BODY_ONLY, accepts });
    const replaying = await subscriber(hub, log, 'a', { format: BODY_ONLY, accepts, live: false });
    await log.append([note('a', 'kept'), note('a', 'filtered')]);
    expect(live.frames).toEqual(['body kept\n']);
    expect(replaying.frames).toEqual([]);
    // Two subscribers, one event each queued or held: the filtered one reached neither.
    expect(hub.stats.deliveries).toBe(2);
    replaying.sub.goLive();
    expect(replaying.frames).toEqual(['body kept\n']);
  });

  it('does not count the event that overflowed a live subscriber\'s queue as a delivery', async () => {
    const { log, hub } = setup();
    // 256 KiB a frame to a reader that never reads: the socket pushes back, then the
    // queue passes its 1 MiB limit.
    const big: StreamFormat = { encode: (event: HeraldEvent) => Buffer.alloc(256 * 1024, event.type === 'notify' ? event.data.body : 'x') };
    const s = await subscriber(hub, log, 'a', { format: big, paused: true });
    let published = 0;
    while (s.closed.length === 0 && published < 1000) await log.append([note('a', `n${published++}`)]);
    expect(s.closed).toEqual(['overflow']);
    // Every event before the last was queued; the last was refused and dropped the subscriber.
    expect(hub.stats.deliveries).toBe(published - 1);
  });

  it('still sends an event to the next subscriber when one before it has a format that does not carry it', async () => {
    const { log, hub } = setup();
    const plain = await subscriber(hub, log, 'a', { format: BODY_ONLY });
    const herald = await subscriber(hub, log, 'a');
    await log.append([end('a')]);
    expect(plain.frames).toEqual([]);
    expect(bodies(herald)).toEqual(['end']);
  });

  it('flushes a live subscriber after the batch and ends it once every topic has ended', async () => {
    const { log, hub } = setup();
    const s = await subscriber(hub, log, 'a');
    await log.append([note('a', 'last'), end('a')]);
    await vi.waitFor(() => expect(s.received()).toMatch(/event: end[^]*\r\n0\r\n\r\n$/));
    expect(s.closed).toEqual(['ended']);
    expect(hub.size).toBe(0);
  });

  it('holds events for a subscriber still replaying, without flushing or ending it', async () => {
    const { log, hub } = setup();
    const s = await subscriber(hub, log, 'a', { live: false });
    await log.append([note('a', 'held'), end('a')]);
    expect(s.frames).toEqual([]);
    expect(s.sub.holding).toBe(true);
    expect(hub.queuedBytes()).toBe(s.sub.heldBytes);
    expect(s.sub.heldBytes).toBeGreaterThan(0);
    expect(s.closed).toEqual([]);
    s.sub.goLive();
    expect(bodies(s)).toEqual(['held', 'end']);
    expect(hub.queuedBytes()).toBe(s.connection.queuedBytes);
  });

  it('closes every connection on closeAll and hears no more events', async () => {
    const { log, hub } = setup();
    const a = await subscriber(hub, log, 'a');
    const w = await subscriber(hub, log, '*');
    hub.closeAll();
    expect([a.closed, w.closed]).toEqual([['shutdown'], ['shutdown']]);
    expect(hub.size).toBe(0);
    expect(hub.subscribersOf('a')).toBe(0);
    await log.append([note('a', 'after')]);
    expect(hub.stats.deliveries).toBe(0);
  });
});

describe('Hub heartbeat', () => {
  it('sends each idle subscriber its own heartbeat on the interval, and none to one with frames waiting', async () => {
    const { log, hub, clock } = setup({ heartbeatMs: 1000 });
    const herald = await subscriber(hub, log, 'a');
    const custom = await subscriber(hub, log, 'b', { heartbeat: () => Buffer.from('{"event":"keepalive"}\n') });
    const busy = await subscriber(hub, log, 'c', { paused: true });
    busy.connection.enqueue(Buffer.from('queued\n'));
    busy.frames.length = 0;
    // Looks busy to the heartbeat: frames queued and not yet written.
    expect(busy.connection.queuedBytes).toBeGreaterThan(0);
    clock.advance(999);
    expect([herald.frames, custom.frames]).toEqual([[], []]);
    clock.advance(1);
    expect(herald.frames).toEqual([': hb\n\n']);
    expect(custom.frames).toEqual(['{"event":"keepalive"}\n']);
    expect(busy.frames).toEqual([]);
    await vi.waitFor(() => expect(herald.received()).toContain(': hb\n\n'));
    clock.advance(1000);
    expect(herald.frames).toEqual([': hb\n\n', ': hb\n\n']);
  });

  it('sends none with an interval of 0, and stops on closeAll', async () => {
    const off = setup({ heartbeatMs: 0 });
    const quiet = await subscriber(off.hub, off.log, 'a');
    off.clock.advance(3_600_000);
    expect(quiet.frames).toEqual([]);
    expect(off.clock.pending).toBe(0);
    const on = setup({ heartbeatMs: 1000 });
    expect(on.clock.pending).toBe(1);
    on.hub.closeAll();
    expect(on.clock.pending).toBe(0);
  });
});

describe('Subscription', () => {
  it('sends only the events it accepts, live and replayed, and holds only those during replay', async () => {
    const { log, hub } = setup();
    const accepts = (event: HeraldEvent): boolean => event.type !== 'notify' || event.data.priority >= 4;
    const s = await subscriber(hub, log, 'a', { accepts, live: false });
    const high = (body: string): NewEvent => ({ type: 'notify', data: { topic: 'a', time: 1, body, priority: 5, tags: [] } });
    // Arrive during replay: only the accepted one is held.
    const [low1, high2] = await log.append([note('a', 'low 1'), high('high 2')]);
    expect(s.sub.heldBytes).toBe(HERALD_SSE.encode(high2!)!.length);
    expect(s.sub.sendReplayed({ event: low1!, frame: Buffer.from('replayed low\n') })).toBe(true);
    expect(s.sub.sendReplayed({ event: high2!, frame: Buffer.from('replayed high\n') })).toBe(true);
    expect(s.sub.lastSentId).toBe(high2!.id);
    s.sub.goLive();
    await log.append([note('a', 'low 3'), high('high 4')]);
    expect(s.frames.map((f) => f.split('\n')[0])).toEqual(['replayed high', 'id: 4']);
  });

  it('stays open when its topics end if it does not end with them', async () => {
    const { log, hub } = setup();
    const s = await subscriber(hub, log, 'a', { endsWithTopics: false });
    await log.append([end('a')]);
    expect(s.sub.allEnded).toBe(false);
    s.sub.closeIfAllEnded();
    await log.append([note('a', 'after the end')]);
    expect(bodies(s)).toEqual(['end', 'after the end']);
    expect(s.closed).toEqual([]);
  });

  it('never counts a wildcard subscription as ended', async () => {
    const { log, hub } = setup();
    const s = await subscriber(hub, log, 'a,b/*');
    s.sub.markEnded(['a', 'b/x']);
    await log.append([end('a'), end('b/x')]);
    expect(s.sub.allEnded).toBe(false);
    expect(s.closed).toEqual([]);
  });

  it('ends once every exact topic has ended, counting those that ended before it began', async () => {
    const { log, hub } = setup();
    const s = await subscriber(hub, log, 'a,b', { live: false });
    s.sub.markEnded(['a']);
    expect(s.sub.allEnded).toBe(false);
    s.sub.goLive();
    await log.append([end('b')]);
    expect(s.sub.allEnded).toBe(true);
    expect(s.closed).toEqual(['ended']);
  });

  it('sends a notice without taking it as the last event sent', async () => {
    const { log, hub } = setup();
    const s = await subscriber(hub, log, 'a');
    s.sub.resumeAfter('5');
    expect(s.sub.sendNotice(Buffer.from('event: gap\n\n'))).toBe(true);
    expect(s.sub.lastSentId).toBe('5');
    expect(s.frames).toEqual(['event: gap\n\n']);
  });
});
