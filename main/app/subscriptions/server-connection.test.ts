// One server's connection, driven through the SubscriptionManager against tiny
// node:http servers that answer as each test needs, with the real `eventsource`
// client and a ManualClock: the URL and resume id it asks with, the states it goes
// through, events it cannot use, ends matched by a pattern, and that a connection it
// replaces or gives up is really closed and never comes back on its own.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/support/herald-test-server.ts';
import { memoryResumePoints } from './resume-points.ts';
import { eventsUrl } from './server-connection.ts';
import { bodies, describeState, liveState, runCleanups, settle, subscription, tinyServer, watch } from '../../../test/support/subscription-watch.ts';

afterEach(runCleanups);

const note = (id: number | null, topic = 'a', body = `n${id}`) =>
  `${id === null ? '' : `id: ${id}\n`}event: notify\ndata: ${JSON.stringify({ topic, time: 1, body, priority: 3, tags: [] })}\n\n`;
const endOf = (id: number, topic: string, summary = 'done') =>
  `id: ${id}\nevent: end\ndata: ${JSON.stringify({ topic, time: 1, state: 'succeeded', exitCode: 0, durationMs: 5, summary })}\n\n`;

/** Headers of an open event stream, written at once (before any event). */
function openStream(res: ServerResponse): ServerResponse {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.flushHeaders();
  return res;
}

function closedSocket(req: IncomingMessage): () => boolean {
  let closed = false;
  req.socket.once('close', () => (closed = true));
  return () => closed;
}

describe('eventsUrl', () => {
  it('puts /events under the base path, whatever trailing slashes it has, and drops its query', () => {
    expect(eventsUrl('http://127.0.0.1:8080', ['a', 'b/*'], false)).toBe('http://127.0.0.1:8080/events?topics=a%2Cb%2F*');
    expect(eventsUrl('http://h:1/herald//?x=1', ['a'], true)).toBe('http://h:1/herald/events?topics=a&since=all');
    expect(eventsUrl('http://h:1/a//b/', ['a'], false)).toBe('http://h:1/a//b/events?topics=a');
  });
});

describe('what it asks for', () => {
  it('asks for since=all on its first connection only; a reconnect resumes by Last-Event-ID alone', async () => {
    const server = await tinyServer((_req, res, count) => {
      if (count === 1) return openStream(res).end(`retry: 100\n\n${note(5)}`);
      openStream(res);
    });
    const w = watch([subscription(server.url, ['a'], { since: 'all' })]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    w.clock.advance(60_000);
    await waitUntil(() => server.requests.length === 2, describeState(w));
    const query = (n: number) => new URL(server.requests[n]!.url!, server.url).searchParams;
    expect(query(0).get('since')).toBe('all');
    expect(query(1).get('since')).toBeNull();
    expect(server.requests[1]!.headers['last-event-id']).toBe('5');
  });

  it('reports an event without an id, and keeps no resume point from it', async () => {
    const server = await tinyServer((_req, res) => openStream(res).write(note(null)));
    const resumePoints = memoryResumePoints();
    const w = watch([subscription(server.url, ['a'])], { resumePoints });
    await waitUntil(() => w.problems.length === 1, describeState(w));
    expect(w.problems[0]).toMatch(/^an event \(notify\) arrived without an id/);
    expect(w.events).toEqual([]);
    expect(w.snapshot().lastEventId).toBeNull();
    expect(resumePoints.load('local')).toBeNull();
  });
});

describe('states', () => {
  it('tells its listeners each state it goes through: connecting, reconnecting, connecting again, live', async () => {
    const server = await tinyServer((_req, res, count) => {
      if (count === 1) return res.writeHead(503, { 'Retry-After': '2' }).end();
      if (count === 2) return; // never answered: the attempt stays under way
      openStream(res);
    });
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    w.clock.advance(2000);
    await waitUntil(() => server.requests.length === 2, describeState(w));
    expect(w.snapshot().connection).toEqual({ kind: 'connecting' });
    expect(w.snapshot().topics).toEqual({ a: { kind: 'connecting' } });
    w.manager.reconnect('local');
    await waitUntil(liveState(w), describeState(w));
    const kinds = w.states.map((snapshots) => snapshots[0]?.connection.kind).filter((kind, i, all) => kind !== all[i - 1]);
    expect(kinds).toEqual(['connecting', 'reconnecting', 'connecting', 'live']);
  });

  it('says why it closed when the server answers 204', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(204).end());
    const w = watch([subscription(server.url, ['a', 'b'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'closed', describeState(w));
    expect(w.snapshot().connection).toEqual({ kind: 'closed', reason: 'the server says every topic has ended (HTTP 204)' });
    expect(w.snapshot().topics).toEqual({ a: { kind: 'ended', end: null }, b: { kind: 'ended', end: null } });
  });

  it('tells its listeners when one topic ends while the others go on', async () => {
    const server = await tinyServer((_req, res) => openStream(res).write(endOf(1, 'a')));
    const w = watch([subscription(server.url, ['a', 'b'])]);
    await waitUntil(() => w.events.length === 1, describeState(w));
    const told = w.states.at(-1)![0]!;
    expect(told.topics.a).toMatchObject({ kind: 'ended', end: { topic: 'a', summary: 'done' } });
    expect(told.topics.b).toEqual({ kind: 'live' });
    expect(told.connection.kind).toBe('live');
  });

  it("records an end of a topic a pattern matched without adding that topic to the ones it asked for", async () => {
    const server = await tinyServer((_req, res) => openStream(res).write(endOf(1, 'job/1') + note(2, 'job/2')));
    const w = watch([subscription(server.url, ['job/*'])]);
    await waitUntil(() => w.events.length === 2, describeState(w));
    expect(w.snapshot().topics).toEqual({ 'job/*': { kind: 'live' } });
    expect(Object.keys(w.snapshot().ended)).toEqual(['job/1']);
    expect(w.snapshot().connection.kind).toBe('live');
  });

  it('shows the latest end of a topic that was restarted and ended again', async () => {
    const server = await tinyServer((_req, res) => openStream(res).write(endOf(1, 'a', 'first') + note(2, 'a') + endOf(3, 'a', 'second')));
    const w = watch([subscription(server.url, ['a', 'b'])]);
    await waitUntil(() => w.events.length === 3, describeState(w));
    expect(w.snapshot().topics.a).toMatchObject({ kind: 'ended', end: { summary: 'second' } });
    expect(w.snapshot().ended.a).toMatchObject({ summary: 'second' });
    expect(w.states.at(-1)![0]!.topics.a).toMatchObject({ kind: 'ended', end: { summary: 'second' } });
  });

  it('closes its topics when the server is removed, and then forgets it', async () => {
    const server = await tinyServer((_req, res) => openStream(res));
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(liveState(w), describeState(w));
    const before = w.states.length;
    w.manager.setServers([]);
    const told = w.states.slice(before);
    expect(told[0]).toEqual([expect.objectContaining({ connection: { kind: 'closed', reason: 'removed' }, topics: { a: { kind: 'closed' } } })]);
    expect(told.at(-1)).toEqual([]);
    expect(w.manager.snapshots()).toEqual([]);
  });
});

describe('a listener that fails', () => {
  it('reports a listener that throws, and still keeps the event as its resume point', async () => {
    const server = await tinyServer((_req, res) => openStream(res).write(note(7)));
    const resumePoints = memoryResumePoints();
    const w = watch([subscription(server.url, ['a'])], { resumePoints });
    w.manager.on('event', () => {
      throw new Error('history is full');
    });
    await waitUntil(() => w.problems.length === 1, describeState(w));
    expect(w.problems).toEqual(['handling event 7 failed: history is full']);
    expect(resumePoints.load('local')).toBe('7');
  });
});

describe('what it closes and when it comes back', () => {
  it('closes a broken stream itself: EventSource never reconnects behind its back', async () => {
    const server = await tinyServer((_req, res) => openStream(res).end(`retry: 10\n\n${note(1)}`));
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    await settle(300);
    expect(server.requests).toHaveLength(1);
  });

  it('closes its stream at the server when the server is removed', async () => {
    let closed: () => boolean = () => false;
    const server = await tinyServer((req, res) => {
      closed = closedSocket(req);
      openStream(res);
    });
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(liveState(w), describeState(w));
    w.manager.setServers([]);
    await waitUntil(() => closed(), () => 'expected the stream\'s socket to close');
    expect(server.requests).toHaveLength(1);
  });

  it('watches for silence from the moment the stream opens, before any byte', async () => {
    const server = await tinyServer((_req, res) => openStream(res));
    const w = watch([subscription(server.url, ['a'])], { heartbeatMs: 1000 });
    await waitUntil(liveState(w), describeState(w));
    w.clock.advance(2500);
    expect(w.snapshot().connection).toMatchObject({ kind: 'reconnecting', reason: 'no data for 2.5s: the heartbeat stopped' });
  });

  it('drops a silent connection before it reconnects', async () => {
    const server = await tinyServer((_req, res) => openStream(res).write('retry: 100\n\n'));
    const w = watch([subscription(server.url, ['a'])], { heartbeatMs: 1000 });
    await waitUntil(liveState(w), describeState(w));
    const firstClosed = closedSocket(server.requests[0]!);
    w.clock.advance(2500);
    await waitUntil(firstClosed, () => 'the silent connection is still open');
    expect(server.requests).toHaveLength(1);
  });

  it('does not come back after being stopped during a backoff wait', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(503).end());
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    w.manager.stop();
    expect(w.states.at(-2)).toEqual([expect.objectContaining({ connection: { kind: 'closed', reason: 'stopped' } })]);
    expect(w.states.at(-1)).toEqual([]);
    expect(w.manager.snapshots()).toEqual([]);
    w.clock.advance(10 * 60_000);
    await settle();
    expect(server.requests).toHaveLength(1);
    expect(w.clock.pending).toBe(0);
  });

  it('reconnect() tries at once instead of waiting out the backoff, and only once', async () => {
    const server = await tinyServer((_req, res, count) => {
      if (count === 1) return res.writeHead(503, { 'Retry-After': '30' }).end();
      openStream(res);
    });
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    w.manager.reconnect('local');
    await waitUntil(liveState(w), describeState(w));
    // Past the 30 s the refusal asked to wait, within the watchdog's 37.5 s.
    w.clock.advance(31_000);
    await settle();
    expect(server.requests).toHaveLength(2);
  });

  it('reconnect() drops an attempt still under way for the new one', async () => {
    const server = await tinyServer((_req, res, count) => {
      if (count === 2) openStream(res);
    });
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(() => server.requests.length === 1, describeState(w));
    const firstClosed = closedSocket(server.requests[0]!);
    w.manager.reconnect('local');
    await waitUntil(liveState(w), describeState(w));
    await waitUntil(firstClosed, () => 'the replaced request is still open');
  });

  it('reconnect() leaves a live connection, and one whose topics all ended, as they are', async () => {
    const live = await tinyServer((_req, res) => openStream(res));
    const ended = await tinyServer((_req, res) => openStream(res).write(endOf(1, 'a')));
    const w = watch([subscription(live.url, ['a'], { id: 'live' }), subscription(ended.url, ['a'], { id: 'ended' })]);
    await waitUntil(() => w.snapshot('live').connection.kind === 'live' && w.snapshot('ended').connection.kind === 'closed', () => JSON.stringify(w.manager.snapshots()));
    w.manager.reconnect('live');
    w.manager.reconnect('ended');
    w.manager.reconnect('unknown');
    await settle();
    expect([live.requests.length, ended.requests.length]).toEqual([1, 1]);
    expect(w.snapshot('ended').connection).toEqual({ kind: 'closed', reason: 'every topic has ended' });
  });

  it('removing a server that already closed tells nothing new about it', async () => {
    const server = await tinyServer((_req, res) => openStream(res).write(endOf(1, 'a')));
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'closed', describeState(w));
    const before = w.states.length;
    w.manager.setServers([]);
    expect(w.states.slice(before)).toEqual([[]]);
  });

  it('ignores the late refusal of a request it replaced', async () => {
    let second: ServerResponse | undefined;
    const server = await tinyServer((_req, res, count) => {
      if (count === 1) {
        // A refusal whose body never finishes: the explanation is still being read.
        res.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"error":');
        return;
      }
      second = openStream(res);
      res.write('retry: 100\n\n');
    });
    const w = watch([subscription(server.url, ['a'])]);
    await waitUntil(() => server.requests.length === 1, describeState(w));
    await settle(100);
    w.manager.reconnect('local');
    await waitUntil(liveState(w), describeState(w));
    await settle(100);
    second!.end();
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    expect(w.snapshot().connection).toMatchObject({ reason: 'the server closed the stream' });
  });

  it('passes on nothing more from a chunk after a listener stops the connection at one of its events', async () => {
    // One chunk of an ntfy stream: two messages and a line that is not one.
    const chunk = [
      '{"id":"m1","time":1700000000,"event":"message","topic":"a","message":"one"}',
      '{"id":"m2","time":1700000000,"event":"message","topic":"a","message":"two"}',
      'not json',
      '',
    ].join('\n');
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(chunk);
    });
    const w = watch([subscription(server.url, ['a'], { kind: 'ntfy' })]);
    w.manager.on('event', () => w.manager.setServers([]));
    await waitUntil(() => w.events.length > 0, () => `${w.events.length} events`);
    await settle();
    expect(bodies(w)).toEqual(['one']);
    expect(w.problems).toEqual([]);
  });
});
