// The stream core (openStream, Subscription, Hub, replay) driven step by step: the
// log is a real SQLite log whose replay reads the test holds at will, and time is a
// ManualClock, so a test interleaves exactly "page read, live event arrives, next
// page, hand-over" instead of hoping a race falls its way. Responses go to real
// sockets through a local node:http server; clients parse what they receive.

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import { TopicFilter } from '../protocol/topics.ts';
import type { EventLog } from '../store/event-log.ts';
import { openSqliteLog, type SqliteEventLog } from '../store/sqlite-log.ts';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { encodeEvent } from '../protocol/frames.ts';
import { openRawStream, waitUntil, type RawStream } from '../../test/support/herald-test-server.ts';
import { Hub } from './hub.ts';
import { openStream, type StreamSettings } from './open-stream.ts';

interface HeldRead {
  since: string | null;
  /** How many events the read asked for. */
  limit: number;
  ids: string[];
  release(): void;
}

type SteppedLog = EventLog & {
  reads: HeldRead[];
  autoRelease: boolean;
  /** When set, the next replay read fails with it (as a log whose disk went away). */
  failRead: Error | null;
  /** Also hold topic-state and head reads (what a stream reads before its replay) until released. */
  holdLookups: boolean;
  lookups: Array<{ what: string; release(): void }>;
};

/** The real log, except that each replay read, once made, waits for the test to release it (unless autoRelease). */
function steppedLog(inner: SqliteEventLog): SteppedLog {
  const reads: HeldRead[] = [];
  const lookups: SteppedLog['lookups'] = [];
  /** Held before reading (`fresh`: the answer includes what was appended meanwhile) or after (it does not). */
  const lookup = async <T>(what: string, fresh: boolean, read: () => Promise<T>): Promise<T> => {
    const early = fresh ? undefined : await read();
    if (log.holdLookups) await new Promise<void>((release) => lookups.push({ what, release }));
    return fresh ? read() : (early as T);
  };
  const log: SteppedLog = {
    kind: inner.kind,
    startId: inner.startId,
    reads,
    autoRelease: false,
    failRead: null,
    holdLookups: false,
    lookups,
    async readAfter(since, filter, limit) {
      const failure = log.failRead;
      log.failRead = null;
      if (failure) throw failure;
      const page = await inner.readAfter(since, filter, limit);
      if (!log.autoRelease) await new Promise<void>((release) => reads.push({ since, limit, ids: page.map((e) => e.id), release }));
      return page;
    },
    append: (events) => inner.append(events),
    onEvents: (listener) => inner.onEvents(listener),
    gapsAfter: (since, filter) => inner.gapsAfter(since, filter),
    topics: () => inner.topics(),
    // A topic's state is read before the hold, the head after it: what the tests below need.
    topic: (name) => lookup(`topic ${name}`, false, () => inner.topic(name)),
    lastId: () => inner.lastId(),
    headId: () => lookup('head', true, () => inner.headId()),
    isValidId: (raw) => inner.isValidId(raw),
    compareIds: (a, b) => inner.compareIds(a, b),
    prune: () => inner.prune(),
    close: () => inner.close(),
  };
  return log;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Core {
  log: SqliteEventLog;
  stepped: SteppedLog;
  hub: Hub;
  clock: ManualClock;
  url: string;
  port: number;
  /** The sockets of the responses handed to openStream, in request order: they carry the stream once it has begun (server/hub/stream-output.ts). */
  sockets: Socket[];
  /** What openStream threw to its caller (the route answers it as an error). */
  failures: unknown[];
  append(...events: NewEvent[]): Promise<HeraldEvent[]>;
  /** The next held replay read, once the stream has made it. */
  nextRead(): Promise<HeldRead>;
  /** The next held topic or head lookup (with holdLookups), once the stream has made it. */
  nextLookup(): Promise<{ what: string; release(): void }>;
}

async function core(settings: Partial<StreamSettings> = {}, logAgeMs?: number): Promise<Core> {
  const clock = new ManualClock();
  // With logAgeMs the log drops events older than that on the test's clock (at prune()).
  const retention = logAgeMs === undefined ? { maxEventsPerTopic: 10_000 } : { maxEventsPerTopic: 10_000, maxAgeMs: logAgeMs };
  const log = openSqliteLog({ path: ':memory:', retention, ...(logAgeMs === undefined ? {} : { clock }) });
  const stepped = steppedLog(log);
  const hub = new Hub(stepped, { heartbeatMs: 0, clock });
  const streamSettings: StreamSettings = { retryMs: 1000, heartbeatMs: 0, maxQueueBytes: 1 << 20, replayPageSize: 500, replayTimeoutMs: 20_000, ...settings };
  const sockets: Socket[] = [];
  const failures: unknown[] = [];
  const http: Server = createServer((req, res) => {
    sockets.push(req.socket);
    const url = new URL(req.url ?? '/', 'http://x');
    const since = (req.headers['last-event-id'] as string | undefined) ?? url.searchParams.get('since');
    openStream({ hub, log: stepped, clock, settings: streamSettings }, res, { filter: TopicFilter.parse(url.searchParams.get('topics')), since }).catch((error: unknown) => {
      failures.push(error);
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    stepped.holdLookups = false;
    for (const held of [...stepped.reads, ...stepped.lookups]) held.release();
    hub.closeAll();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await log.close();
  });
  const port = (http.address() as AddressInfo).port;
  let taken = 0;
  let lookedUp = 0;
  return {
    log,
    stepped,
    hub,
    clock,
    url: `http://127.0.0.1:${port}`,
    port,
    sockets,
    failures,
    append: (...events) => log.append(events),
    async nextRead() {
      const index = taken++;
      await waitUntil(() => stepped.reads.length > index, () => `expected replay read ${index + 1}, the stream made ${stepped.reads.length}`);
      return stepped.reads[index]!;
    },
    async nextLookup() {
      const index = lookedUp++;
      await waitUntil(() => stepped.lookups.length > index, () => `expected lookup ${index + 1}, the stream made ${stepped.lookups.length}`);
      return stepped.lookups[index]!;
    },
  };
}

/** A reading client. Not awaited before the replay's first read is released: the status line goes out after it. */
function stream(c: Core, path: string): Promise<RawStream> {
  const opened = openRawStream(`${c.url}${path}`);
  cleanups.push(async () => (await opened.catch(() => null))?.close());
  return opened;
}

function note(topic: string, body: string, size = 0): NewEvent {
  return { type: 'notify', data: { topic, time: 1, body: body + 'x'.repeat(size), priority: 3, tags: [] } };
}

function end(topic: string): NewEvent {
  return { type: 'end', data: { topic, time: 1, state: 'succeeded', exitCode: 0, durationMs: 1, summary: 'done' } };
}

const bodiesOf = (s: RawStream) => s.messages.map((m) => (JSON.parse(m.data) as { body?: string; state?: string }).body ?? `${m.event}`);

describe('the hand-over from replay to live', () => {
  it('holds a live event that arrives after the last page was read and sends it after the replay', async () => {
    const c = await core();
    await c.append(note('x', 'b1'), note('x', 'b2'), note('x', 'b3'));
    const opening = stream(c, '/events?topics=x&since=all');
    const read = await c.nextRead();
    expect(read.ids).toEqual(['1', '2', '3']);
    // Not in that page: only the held copy can bring it to the client.
    await c.append(note('x', 'live'));
    read.release();
    const client = await opening;
    await client.waitFor(4);
    expect(bodiesOf(client)).toEqual(['b1', 'b2', 'b3', 'live']);
    expect(client.messages.map((m) => m.id)).toEqual(['1', '2', '3', '4']);
  });

  it('sends a live event once when the next page also read it from the log', async () => {
    const c = await core();
    await c.append(...Array.from({ length: 20 }, (_, i) => note('x', `b${i + 1}`)));
    const opening = stream(c, '/events?topics=x&since=all');
    const first = await c.nextRead();
    expect(first.ids).toHaveLength(16);
    // Arrives between two page reads: held, and the next page reads it too.
    await c.append(note('x', 'live 1'));
    first.release();
    const client = await opening;
    const second = await c.nextRead();
    expect(second.ids).toEqual(['17', '18', '19', '20', '21']);
    // Arrives after the last page was read: only held.
    await c.append(note('x', 'live 2'));
    second.release();
    await client.waitFor(22);
    await c.append(note('x', 'after'));
    await client.waitFor(23);
    expect(bodiesOf(client)).toEqual([...Array.from({ length: 20 }, (_, i) => `b${i + 1}`), 'live 1', 'live 2', 'after']);
    expect(new Set(client.messages.map((m) => m.id)).size).toBe(23);
  });

  it('resumes after an id: live events up to it were already sent and are not sent again', async () => {
    const c = await core();
    await c.append(note('x', 'seen 1'), note('x', 'seen 2'), note('x', 'unseen'));
    const opening = stream(c, '/events?topics=x&since=2');
    const read = await c.nextRead();
    expect(read.ids).toEqual(['3']);
    await c.append(note('x', 'live'));
    read.release();
    const client = await opening;
    await client.waitFor(2);
    await c.append(note('x', 'after'));
    await client.waitFor(3);
    expect(bodiesOf(client)).toEqual(['unseen', 'live', 'after']);
  });

  it('does not send again a live event the client already had: it resumed from its id before the event reached this hub', async () => {
    // As over Redis, where a client can see an event on another instance before this one's tail brings it.
    const c = await core();
    await c.append(note('x', 'one'), note('x', 'two'));
    c.stepped.holdLookups = true;
    const opening = stream(c, '/events?topics=x&since=3');
    (await c.nextLookup()).release();
    const head = await c.nextLookup();
    expect(head.what).toBe('head');
    await c.append(note('x', 'three'));
    head.release();
    const read = await c.nextRead();
    expect(read.ids).toEqual([]);
    read.release();
    const client = await opening;
    await c.append(note('x', 'four'));
    await client.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bodiesOf(client)).toEqual(['four']);
  });

  it('answers a request for ended topics with a stream, not 204, when one starts again while it is answered', async () => {
    const c = await core();
    await c.append(end('a'));
    c.stepped.holdLookups = true;
    const opening = stream(c, '/events?topics=a');
    const lookup = await c.nextLookup();
    expect(lookup.what).toBe('topic a');
    // The stream has read `a` as ended; then it starts again.
    await c.append(note('a', 'again'));
    lookup.release();
    const client = await opening;
    expect(client.status).toBe(200);
    await client.waitFor(1);
    expect(bodiesOf(client)).toEqual(['again']);
    expect(client.isEnded()).toBe(false);
  });

  it('answers ended topics with a stream carrying its gap notice, not 204, when retention drops what the client missed while it is answered', async () => {
    const c = await core({}, 60_000);
    c.stepped.autoRelease = true;
    // Stamped now: the log's age limit counts from an event's time.
    const now = c.clock.now();
    await c.append(...[note('a', 'seen'), end('a')].map((event) => ({ ...event, data: { ...event.data, time: now } }) as NewEvent));
    c.stepped.holdLookups = true;
    const opening = stream(c, '/events?topics=a&since=1');
    const lookup = await c.nextLookup();
    expect(lookup.what).toBe('topic a');
    // The stream has read `a` as ended; then its events age out (past the age limit,
    // not yet past twice it, when the log forgets the topic too).
    c.clock.advance(90_000);
    await c.log.prune();
    lookup.release();
    (await c.nextLookup()).release();
    // Nothing is left to replay, but the client must hear what it lost, then the stream ends.
    const client = await opening;
    expect(client.status).toBe(200);
    await client.waitFor(1);
    expect(client.messages[0]).toMatchObject({ event: 'gap', id: '1' });
    expect(JSON.parse(client.messages[0]!.data)).toMatchObject({ topic: 'a', reason: 'retention', lost: 1 });
    await waitUntil(() => client.isEnded(), () => 'expected the stream to end after its gap notice');
  });

  it('holds events up to exactly its limit', async () => {
    const frame = Buffer.byteLength(encodeEvent({ id: '2', ...note('x', 'held', 1000) } as HeraldEvent));
    const c = await core({ maxQueueBytes: 2 * frame });
    await c.append(note('x', 'b1'));
    const opening = stream(c, '/events?topics=x&since=all');
    const read = await c.nextRead();
    // Ids 2 and 3: frames of the same size, 2 x frame held with nothing else pending.
    await c.append(note('x', 'held', 1000), note('x', 'held', 1000));
    expect(c.hub.size).toBe(1);
    read.release();
    const client = await opening;
    await client.waitFor(3);
    expect(c.hub.overflowDrops).toBe(0);
  });

  it('drops the subscriber with overflow when events held during replay pass its limit', async () => {
    const c = await core({ maxQueueBytes: 4096 });
    await c.append(note('x', 'b1'));
    const opening = stream(c, '/events?topics=x&since=all');
    const read = await c.nextRead();
    await c.append(note('x', 'held 1', 1500), note('x', 'held 2', 1500));
    expect(c.hub.size).toBe(1);
    // Held events are queued for the subscriber: they count as deliveries.
    expect(c.hub.stats.deliveries).toBe(2);
    // Past 4 KiB held: dropped at once, before even its status line was sent.
    await c.append(note('x', 'held 3', 1500));
    expect(c.hub.size).toBe(0);
    expect(c.hub.overflowDrops).toBe(1);
    // The one that overflowed it was not delivered.
    expect(c.hub.stats.deliveries).toBe(2);
    read.release();
    await expect(opening).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('counts replay bytes the socket has not taken against the same limit as held events', async () => {
    const limit = 256 * 1024;
    const c = await core({ maxQueueBytes: limit });
    await c.append(...BIG_BACKLOG());
    c.stepped.autoRelease = true;
    rawReader(c.port, '/events?topics=x&since=all');
    const unsent = await stalled(c);
    expect(c.hub.size).toBe(1);
    // Held events alone stay under the limit; with the unsent replay they pass it.
    const frame = Buffer.byteLength(encodeEvent({ id: '9999', ...BIG('live') } as HeraldEvent));
    const held = Math.floor((limit - unsent) / frame) + 1;
    expect(held * frame).toBeLessThan(limit);
    await c.append(...Array.from({ length: held - 1 }, () => BIG('live')));
    expect(c.hub.size).toBe(1);
    await c.append(BIG('live'));
    expect(c.hub.size).toBe(0);
    expect(c.hub.overflowDrops).toBe(1);
  });
});

describe('stream headers', () => {
  it('asks proxies and caches to pass the stream through untouched, and a 204 not to be cached', async () => {
    const c = await core();
    c.stepped.autoRelease = true;
    const client = await stream(c, '/events?topics=x');
    expect(client.status).toBe(200);
    expect(client.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // The stream takes its socket over from node:http: nothing more is read on it.
      connection: 'close',
      'x-accel-buffering': 'no',
      'herald-heartbeat-ms': '0',
    });
    await c.append(end('done'));
    const ended = await stream(c, '/events?topics=done');
    expect(ended.status).toBe(204);
    expect(ended.headers['cache-control']).toBe('no-cache');
  });
});

describe('replay pages', () => {
  it('reads a first page of at most 16 events, or of the page size when that is smaller, and every page within the page size', async () => {
    const c = await core({ replayPageSize: 3 });
    await c.append(...Array.from({ length: 7 }, (_, i) => note('x', `b${i + 1}`)));
    const opening = stream(c, '/events?topics=x&since=all');
    const reads: Array<Pick<HeldRead, 'since' | 'limit' | 'ids'>> = [];
    for (let i = 0; i < 3; i++) {
      const read = await c.nextRead();
      reads.push({ since: read.since, limit: read.limit, ids: read.ids });
      read.release();
    }
    expect(reads).toEqual([
      { since: null, limit: 3, ids: ['1', '2', '3'] },
      { since: '3', limit: 3, ids: ['4', '5', '6'] },
      // Shorter than asked for: the log has nothing more, and no further read is made.
      { since: '6', limit: 3, ids: ['7'] },
    ]);
    const client = await opening;
    await client.waitFor(7);
    await c.append(note('x', 'live'));
    await client.waitFor(8);
    expect(c.stepped.reads).toHaveLength(3);

    const wide = await core({ replayPageSize: 500 });
    await wide.append(note('x', 'b1'));
    void stream(wide, '/events?topics=x&since=all');
    const first = await wide.nextRead();
    expect(first.limit).toBe(16);
    first.release();
  });

  it('ends a page at the event that reaches the byte budget, a quarter of the queue limit, and sizes the next page to the events so far', async () => {
    // Nine events whose frames have the same size: one-digit ids, same-length bodies.
    const frame = Buffer.byteLength(encodeEvent({ id: '1', ...note('x', 'b1') } as HeraldEvent));
    const c = await core({ maxQueueBytes: 12 * frame, replayPageSize: 500 });
    await c.append(...Array.from({ length: 9 }, (_, i) => note('x', `b${i + 1}`)));
    const opening = stream(c, '/events?topics=x&since=all');
    const reads: Array<Pick<HeldRead, 'since' | 'limit' | 'ids'>> = [];
    for (let i = 0; i < 4; i++) {
      const read = await c.nextRead();
      reads.push({ since: read.since, limit: read.limit, ids: read.ids });
      read.release();
    }
    // A budget of 3 frames: the first page reads 9 and sends 3, then pages of 3.
    expect(reads).toEqual([
      { since: null, limit: 16, ids: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] },
      { since: '3', limit: 3, ids: ['4', '5', '6'] },
      { since: '6', limit: 3, ids: ['7', '8', '9'] },
      { since: '9', limit: 3, ids: [] },
    ]);
    const client = await opening;
    await client.waitFor(9);
    expect(bodiesOf(client)).toEqual(Array.from({ length: 9 }, (_, i) => `b${i + 1}`));
  });

  it('counts a stream that asked for a backlog once it is live, with the events it replayed; a live-only stream not', async () => {
    const c = await core();
    c.stepped.autoRelease = true;
    await c.append(note('x', 'b1'), note('x', 'b2'), note('y', 'other'));
    const live = await stream(c, '/events?topics=x');
    await c.append(note('x', 'live'));
    await live.waitFor(1);
    expect([c.hub.stats.replays, c.hub.stats.replayedEvents, c.hub.stats.replaySeconds.count]).toEqual([0, 0, 0]);
    const before = performance.now();
    const resumed = await stream(c, '/events?topics=x&since=all');
    await resumed.waitFor(3);
    const seconds = (performance.now() - before) / 1000;
    expect([c.hub.stats.replays, c.hub.stats.replayedEvents, c.hub.stats.replaySeconds.count]).toEqual([1, 3, 1]);
    // The time it took, in seconds: within the time the test saw the stream open and replay.
    expect(c.hub.stats.replaySeconds.sum).toBeGreaterThan(0);
    expect(c.hub.stats.replaySeconds.sum).toBeLessThanOrEqual(seconds);
  });
});

describe('a log that fails', () => {
  it('before the stream opens: the caller gets the error to answer, and the hub forgets the subscriber', async () => {
    const c = await core();
    await c.append(note('x', 'b1'));
    const failure = new Error('disk I/O error');
    c.stepped.failRead = failure;
    const client = await stream(c, '/events?topics=x&since=all');
    expect(client.status).toBe(500);
    expect(c.failures).toEqual([failure]);
    expect(c.hub.size).toBe(0);
  });

  it('during the replay: the stream is closed (the client resumes by id) and the error goes no further', async () => {
    const c = await core();
    await c.append(...Array.from({ length: 20 }, (_, i) => note('x', `b${i + 1}`)));
    const opening = stream(c, '/events?topics=x&since=all');
    const first = await c.nextRead();
    c.stepped.failRead = new Error('disk I/O error');
    first.release();
    const client = await opening;
    await client.ended;
    expect(client.status).toBe(200);
    expect(client.messages.map((m) => m.id)).toEqual(first.ids);
    expect(c.failures).toEqual([]);
    expect(c.hub.size).toBe(0);
    await c.append(note('x', 'after'));
    expect(c.hub.stats.deliveries).toBe(0);
  });
});

describe('the replay deadline', () => {
  it('drops a subscriber whose socket has not taken its replay at the deadline, and not before', async () => {
    const c = await core({ replayTimeoutMs: 20_000 });
    await c.append(...BIG_BACKLOG());
    c.stepped.autoRelease = true;
    rawReader(c.port, '/events?topics=x&since=all');
    await stalled(c);
    c.clock.advance(19_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(c.hub.size).toBe(1);
    c.clock.advance(1);
    await waitUntil(() => c.hub.size === 0, () => 'expected the stalled subscriber dropped at the deadline');
    expect(c.hub.stalledDrops).toBe(1);
    expect(c.hub.overflowDrops).toBe(0);
    // A replay that did not finish is not counted as one.
    expect(c.hub.stats.replays).toBe(0);
    expect(c.sockets[0]!.destroyed).toBe(true);
  });

  it('lets a subscriber that takes its replay go live, however late the clock says it is', async () => {
    const c = await core({ replayTimeoutMs: 1000 });
    await c.append(...Array.from({ length: 40 }, (_, i) => note('x', `b${i}`)));
    c.clock.advance(5000);
    c.stepped.autoRelease = true;
    const client = await stream(c, '/events?topics=x&since=all');
    await client.waitFor(40);
    await c.append(note('x', 'live'));
    await client.waitFor(41);
    expect(c.hub.stalledDrops).toBe(0);
  });
});

describe('ended topics on an open connection', () => {
  it('keeps the connection open when an ended topic starts again, and closes once every topic has ended', async () => {
    const c = await core();
    const client = await stream(c, '/events?topics=a,b');
    await waitUntil(() => c.hub.size === 1, () => 'expected a subscriber');
    await c.append(end('a'));
    await c.append(note('a', 'a again'));
    await c.append(end('b'));
    // `a` started again, so the connection stays: this arrives.
    await c.append(note('a', 'still open'));
    await client.waitFor(4);
    expect(client.isEnded()).toBe(false);
    await c.append(end('a'));
    await client.ended;
    expect(bodiesOf(client)).toEqual(['end', 'a again', 'end', 'still open', 'end']);
    expect(c.hub.size).toBe(0);
  });

  it('closes after the replay when the replay ends every topic', async () => {
    const c = await core();
    await c.append(note('a', 'one'), end('a'));
    const opening = stream(c, '/events?topics=a&since=1');
    (await c.nextRead()).release();
    const client = await opening;
    await client.ended;
    expect(bodiesOf(client)).toEqual(['end']);
  });
});

/** About 12 MB in events of 4 KB: more than the kernel takes for a reader that never reads. */
const BIG = (body: string): NewEvent => note('x', body, 4000);
const BIG_BACKLOG = (): NewEvent[] => Array.from({ length: 3000 }, (_, i) => BIG(`b${i}`));

/** Once the replay waits with bytes the socket has not taken (they stay: the reader never reads): how many. */
async function stalled(c: Core): Promise<number> {
  await waitUntil(() => (c.sockets[0]?.writableLength ?? 0) > 0, () => 'expected the replay to fill the socket', 20_000);
  return c.sockets[0]!.writableLength;
}

/** A raw socket that sends the request and never reads. */
function rawReader(port: number, path: string): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.pause();
  socket.on('error', () => {});
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  cleanups.push(() => socket.destroy());
  return socket;
}
