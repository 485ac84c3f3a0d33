// The subscription manager against real servers on 127.0.0.1 port 0 (Herald's own,
// and tiny node:http servers that misbehave on purpose), with the real `eventsource`
// client. Timers (backoff, watchdog) run on a ManualClock, so waiting for a
// reconnect means advancing the clock, not sleeping; only network I/O is awaited.

import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/support/herald-test-server.ts';
import {
  bodies,
  describeState,
  herald,
  liveState,
  memoryResumePoints,
  runCleanups,
  settle,
  subscription,
  tinyServer,
  watch,
} from '../../../test/support/subscription-watch.ts';
import type { ServerSubscription } from './subscription-manager.ts';

afterEach(runCleanups);

describe('subscribing', () => {
  it('carries every topic of a server on one connection and reports each live', async () => {
    const server = await herald();
    const w = watch([subscription(server.url, ['build', 'deploy'])]);
    await waitUntil(liveState(w), describeState(w));
    await server.publish('build', 'compiling');
    await server.publish('deploy', 'rolled out');
    await server.publish('other', 'not asked for');
    await waitUntil(() => w.events.length >= 2, () => JSON.stringify(bodies(w)));
    await settle();
    expect(bodies(w)).toEqual(['compiling', 'rolled out']);
    expect(server.streamRequests).toHaveLength(1);
    expect(new URL(server.streamRequests[0]!.url!, server.url).searchParams.get('topics')).toBe('build,deploy');
    expect(w.snapshot().topics).toEqual({ build: { kind: 'live' }, deploy: { kind: 'live' } });
    expect(w.snapshot().lastEventId).toBe(w.events[1]?.event.id);
  });

  it('sends the token as a bearer header', async () => {
    const server = await herald({ token: 's3cret' });
    const w = watch([subscription(server.url, ['a'], { token: 's3cret' })]);
    await waitUntil(liveState(w), describeState(w));
    expect(server.streamRequests[0]?.headers.authorization).toBe('Bearer s3cret');
  });

  it('resumes after a restart of the app without losing or repeating an event', async () => {
    const server = await herald();
    const resumePoints = memoryResumePoints();
    const first = watch([subscription(server.url, ['feed'])], { resumePoints });
    await waitUntil(liveState(first), describeState(first));
    for (const body of ['one', 'two']) await server.publish('feed', body);
    await waitUntil(() => first.events.length === 2, () => JSON.stringify(bodies(first)));
    first.manager.stop();

    for (const body of ['three', 'four']) await server.publish('feed', body);
    const second = watch([subscription(server.url, ['feed'])], { resumePoints });
    await waitUntil(() => second.events.length >= 2, () => JSON.stringify(bodies(second)));
    await server.publish('feed', 'five');
    await waitUntil(() => second.events.length >= 3, () => JSON.stringify(bodies(second)));
    await settle();
    expect(bodies(second)).toEqual(['three', 'four', 'five']);
    expect(server.streamRequests.at(-1)?.headers['last-event-id']).toBe(first.events[1]?.event.id);
  });

  it('asks for everything retained on a first connection with since "all"', async () => {
    const server = await herald();
    await server.publish('feed', 'before');
    const w = watch([subscription(server.url, ['feed'], { since: 'all' })]);
    await waitUntil(() => w.events.length === 1, describeState(w));
    expect(bodies(w)).toEqual(['before']);
  });
});

describe('end of streams', () => {
  it('closes a topic on `end`, and the connection once every topic ended, with no reconnect', async () => {
    const server = await herald();
    const w = watch([subscription(server.url, ['job/a', 'job/b'])]);
    await waitUntil(liveState(w), describeState(w));
    const end = (topic: string) =>
      server.server.publisher.publish({ type: 'end', data: { topic, time: Date.now(), state: 'succeeded', exitCode: 0, durationMs: 5, summary: 'done' } });
    await end('job/a');
    await waitUntil(() => w.snapshot().topics['job/a']?.kind === 'ended', describeState(w));
    expect(w.snapshot().connection.kind).toBe('live');
    expect(w.snapshot().topics['job/b']).toEqual({ kind: 'live' });

    await end('job/b');
    await waitUntil(() => w.snapshot().connection.kind === 'closed', describeState(w));
    expect(w.snapshot().connection).toEqual({ kind: 'closed', reason: 'every topic has ended' });
    expect(w.snapshot().topics['job/b']).toMatchObject({ kind: 'ended', end: { topic: 'job/b', state: 'succeeded', summary: 'done' } });
    expect(Object.keys(w.snapshot().ended)).toEqual(['job/a', 'job/b']);
    w.clock.advance(10 * 60_000);
    await settle(300);
    expect(server.streamRequests).toHaveLength(1);
    expect(w.clock.pending).toBe(0);
  });

  it('takes HTTP 204 for topics that had already ended as the end, and stops', async () => {
    const server = await herald();
    await server.server.publisher.publish({ type: 'end', data: { topic: 'job/old', time: Date.now(), state: 'failed', exitCode: 1, durationMs: 5, summary: 'x' } });
    const w = watch([subscription(server.url, ['job/old'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'closed', describeState(w));
    expect(w.snapshot().topics['job/old']).toEqual({ kind: 'ended', end: null });
    w.clock.advance(10 * 60_000);
    await settle();
    expect(server.streamRequests).toHaveLength(1);
  });
});

describe('failures that retrying cannot fix', () => {
  it('fails on a wrong token with a reason naming the token, and does not retry', async () => {
    const server = await herald({ token: 'right' });
    const w = watch([subscription(server.url, ['a'], { token: 'wrong' })]);
    await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
    const state = w.snapshot();
    expect(state.connection.kind === 'failed' && state.connection.reason).toMatch(/refused the token \(HTTP 401\).*does not match.*Set the server's token/);
    expect(state.topics.a).toEqual({ kind: 'failed', reason: state.connection.kind === 'failed' ? state.connection.reason : '' });
    for (let i = 0; i < 5; i++) {
      w.clock.advance(60_000);
      await settle(50);
    }
    expect(server.streamRequests).toHaveLength(1);
    expect(w.clock.pending).toBe(0);
  });

  it('fails on 404 and on a content type that is not text/event-stream, naming the URL', async () => {
    const notFound = await tinyServer((_req, res) => res.writeHead(404).end('no'));
    const html = await tinyServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>'));
    const w = watch([subscription(notFound.url, ['a'], { id: 'nf' }), subscription(html.url, ['a'], { id: 'html' })]);
    await waitUntil(() => w.manager.snapshots().every((s) => s.connection.kind === 'failed'), () => JSON.stringify(w.manager.snapshots()));
    const reason = (id: string) => {
      const c = w.snapshot(id).connection;
      return c.kind === 'failed' ? c.reason : '';
    };
    expect(reason('nf')).toBe(`no Herald event stream at ${notFound.url}/events?topics=a (HTTP 404). Check the server URL`);
    expect(reason('html')).toBe(`${html.url}/events?topics=a answered text/html, not text/event-stream. Is this a Herald server?`);
    w.clock.advance(10 * 60_000);
    await settle();
    expect([notFound.requests.length, html.requests.length]).toEqual([1, 1]);
  });

  it('shows the server\'s explanation of a bad request', async () => {
    const server = await herald();
    const w = watch([subscription(server.url, ['job/**/x'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
    const c = w.snapshot().connection;
    expect(c.kind === 'failed' && c.reason).toMatch(/refused the subscription \(HTTP 400\): "\*\*" may only be the last segment/);
  });
});

describe('reconnecting', () => {
  it('retries an overloaded server no sooner than its Retry-After, then goes live', async () => {
    const flaky = await tinyServer((_req, res, count) => {
      if (count === 1) return res.writeHead(503, { 'Retry-After': '7', 'Content-Type': 'application/json' }).end('{"error":"busy","code":"unavailable"}');
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('retry: 100\n\n');
    });
    const w = watch([subscription(flaky.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    const c = w.snapshot().connection;
    expect(c).toEqual({ kind: 'reconnecting', retryAt: w.clock.now() + 7000, reason: 'the server is unavailable (HTTP 503): busy' });
    w.clock.advance(6999);
    await settle();
    expect(flaky.requests).toHaveLength(1);
    w.clock.advance(1);
    await waitUntil(liveState(w), describeState(w));
    expect(flaky.requests).toHaveLength(2);
  });

  it('backs off exponentially while the server is down, never below its retry: field', async () => {
    const down = await tinyServer((_req, res, count) => {
      if (count === 1) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.end('retry: 1500\n\nid: 1\nevent: notify\ndata: {"topic":"a","time":1,"body":"x","priority":3,"tags":[]}\n\n');
        return;
      }
      res.socket?.destroy();
    });
    const w = watch([subscription(down.url, ['a'])]);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      await waitUntil(() => w.snapshot().connection.kind === 'reconnecting' && down.requests.length === attempt + 1, describeState(w));
      const c = w.snapshot().connection;
      if (c.kind !== 'reconnecting') throw new Error('not reconnecting');
      delays.push(c.retryAt - w.clock.now());
      w.clock.advance(c.retryAt - w.clock.now());
      await waitUntil(() => down.requests.length === attempt + 2, describeState(w));
    }
    // random() = 0.5: three quarters of min(30 s, 1 s * 2^n), floored at the server's 1.5 s.
    expect(delays).toEqual([1500, 1500, 3000, 6000, 12_000, 22_500]);
    expect(down.requests[1]?.headers['last-event-id']).toBe('1');
  });

  it('reconnects a connection that went silent, resuming from the last id', async () => {
    const silent = await tinyServer((_req, res, count) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`retry: 100\n\nid: ${count}\nevent: notify\ndata: {"topic":"a","time":1,"body":"n${count}","priority":3,"tags":[]}\n\n`);
      // ...and then nothing: no heartbeat, the socket stays open.
    });
    const w = watch([subscription(silent.url, ['a'])], { heartbeatMs: 1000 });
    await waitUntil(() => w.events.length === 1, describeState(w));
    w.clock.advance(2499);
    await settle();
    expect(w.snapshot().connection.kind).toBe('live');
    w.clock.advance(1);
    expect(w.snapshot().connection).toMatchObject({ kind: 'reconnecting', reason: 'no data for 2.5s: the heartbeat stopped' });
    w.clock.advance(1000);
    await waitUntil(() => w.events.length === 2, describeState(w));
    expect(silent.requests[1]?.headers['last-event-id']).toBe('1');
    expect(bodies(w)).toEqual(['n1', 'n2']);
  });

  it('times its watchdog by the heartbeat interval the server announces', async () => {
    const slow = await tinyServer((_req, res, count) => {
      // This server beats once a minute (herald serve --heartbeat-sec 60) and says so.
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Herald-Heartbeat-Ms': '60000' });
      res.write(`retry: 100\n\nid: ${count}\nevent: notify\ndata: {"topic":"a","time":1,"body":"n${count}","priority":3,"tags":[]}\n\n`);
    });
    const w = watch([subscription(slow.url, ['a'])], { heartbeatMs: 1000 });
    await waitUntil(() => w.events.length === 1, describeState(w));
    // Far past 2.5 of the assumed 1 s beat, but within 2.5 of the announced 60 s.
    w.clock.advance(149_999);
    await settle();
    expect(w.snapshot().connection.kind).toBe('live');
    expect(slow.requests).toHaveLength(1);
    w.clock.advance(1);
    expect(w.snapshot().connection).toMatchObject({ kind: 'reconnecting', reason: 'no data for 150s: the heartbeat stopped' });
  });

  it('keeps a connection that only receives heartbeat comments', async () => {
    let response: ServerResponse | undefined;
    const beating = await tinyServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('retry: 100\n\n');
      response = res;
    });
    const w = watch([subscription(beating.url, ['a'])], { heartbeatMs: 1000 });
    await waitUntil(liveState(w), describeState(w));
    for (let i = 0; i < 5; i++) {
      w.clock.advance(2000);
      response?.write(': hb\n\n');
      await settle(50);
    }
    expect(w.snapshot().connection.kind).toBe('live');
    expect(beating.requests).toHaveLength(1);
  });

  it('starts again from new events when the server no longer knows the resume id', async () => {
    const server = await herald();
    const w = watch([subscription(server.url, ['feed'])], { resumePoints: memoryResumePoints({ local: 'redis-1700000000000-0' }) });
    await waitUntil(() => w.problems.length === 1, describeState(w));
    expect(w.problems[0]).toMatch(/does not know the last event id we saw.*continuing with new events/);
    w.clock.advance(1000);
    await waitUntil(liveState(w), describeState(w));
    expect(server.streamRequests[1]?.headers['last-event-id']).toBeUndefined();
    await server.publish('feed', 'fresh');
    await waitUntil(() => w.events.length === 1, describeState(w));
    expect(bodies(w)).toEqual(['fresh']);
  });

  it('drops a resume id the server never issued, says history may be incomplete, and takes everything the server holds', async () => {
    // The server's data dir was wiped or restored from a backup: our id is ahead of its log.
    const server = await herald();
    for (const body of ['one', 'two']) await server.publish('feed', body);
    const resumePoints = memoryResumePoints({ local: '900000' });
    const w = watch([subscription(server.url, ['feed', 'job/*'])], { resumePoints });
    await waitUntil(() => w.events.length === 4, () => JSON.stringify(bodies(w)));
    expect(bodies(w)).toEqual(['gap:feed', 'gap:job/*', 'one', 'two']);
    expect(w.problems).toHaveLength(1);
    expect(w.problems[0]).toMatch(/never issued the last event id we saw \(900000\).*History may be incomplete/);
    expect(resumePoints.load('local')).toBe(w.events[3]!.event.id);
    await server.publish('feed', 'three');
    await waitUntil(() => w.events.length === 5, () => JSON.stringify(bodies(w)));
    expect(bodies(w).at(-1)).toBe('three');
    expect(w.snapshot().lastEventId).toBe(w.events[4]!.event.id);
  });

  it('reports an event that is not JSON and carries on', async () => {
    const odd = await tinyServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('id: 1\nevent: notify\ndata: {oops\n\n');
      res.write('id: 2\nevent: notify\ndata: {"topic":"a","time":1,"body":"fine","priority":3,"tags":[]}\n\n');
    });
    const w = watch([subscription(odd.url, ['a'])]);
    await waitUntil(() => w.events.length === 1, describeState(w));
    expect(w.problems).toEqual(['event 1 (notify) is not valid JSON: {oops']);
    expect(w.snapshot().connection.kind).toBe('live');
  });

  it('reports an event whose data is not what its type requires, and passes on only valid events', async () => {
    const odd = await tinyServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('id: 1\nevent: notify\ndata: {"topic":"a","time":1,"body":"no priority, no tags"}\n\n');
      res.write('id: 2\nevent: end\ndata: {"topic":"a","time":1,"state":"exploded","exitCode":1,"durationMs":5,"summary":""}\n\n');
      res.write('id: 3\nevent: notify\ndata: {"topic":"a","time":1,"body":"fine","priority":3,"tags":[]}\n\n');
    });
    const w = watch([subscription(odd.url, ['a'])]);
    await waitUntil(() => w.events.length === 1 && w.problems.length === 2, describeState(w));
    expect(bodies(w)).toEqual(['fine']);
    expect(w.problems).toEqual([
      'event 1 (notify) is not a valid notify event: expected "priority" to be an integer from 1 to 5, got nothing',
      'event 2 (end) is not a valid end event: expected "state" to be one of succeeded, failed, cancelled, timed-out, got "exploded"',
    ]);
    expect(w.snapshot().connection.kind).toBe('live');
  });
});

describe('changing the servers', () => {
  it('restarts a server when its URL, token, user, templates, since or topics change, and only then', async () => {
    const server = await herald();
    const other = await herald();
    const base = subscription(server.url, ['a', 'b']);
    const w = watch([base]);
    await waitUntil(liveState(w), describeState(w));
    const changes: Array<Partial<ServerSubscription>> = [
      { url: other.url },
      { url: server.url },
      { token: 't' },
      { username: 'u' },
      { templates: { body: '{{ data.detail }}' } },
      { since: 'all' },
      { topics: ['ab'] },
      { topics: ['a', 'b'] },
    ];
    let config = base;
    for (const change of changes) {
      config = { ...config, ...change };
      const requests = server.streamRequests.length + other.streamRequests.length;
      w.manager.setServers([config]);
      await waitUntil(() => server.streamRequests.length + other.streamRequests.length === requests + 1, () => JSON.stringify(change));
    }
    // Another kind of server is another stream: an ntfy one is asked at /<topics>/json.
    w.manager.setServers([{ ...config, kind: 'ntfy' }]);
    await waitUntil(() => w.snapshot().connection.kind !== 'live', describeState(w));
    const requests = server.streamRequests.length + other.streamRequests.length;
    w.manager.setServers([config]);
    await waitUntil(() => server.streamRequests.length + other.streamRequests.length === requests + 1, describeState(w));
    w.manager.setServers([{ ...config, name: 'Renamed' }, { ...config, id: 'none', topics: [] }]);
    await settle();
    expect(server.streamRequests.length + other.streamRequests.length).toBe(changes.length + 2);
    expect(w.manager.snapshots().map((s) => s.serverId)).toEqual(['local']);
  });

  it('tells status listeners at once when the servers are set, and stops telling one that unsubscribed', async () => {
    const server = await herald();
    const w = watch([]);
    const told: string[][] = [];
    const unsubscribe = w.manager.on('status', (snapshots) => told.push(snapshots.map((s) => `${s.serverId}:${s.connection.kind}`)));
    w.manager.setServers([subscription(server.url, ['a'])]);
    expect(told[0]).toEqual(['local:connecting']);
    await waitUntil(() => told.at(-1)?.[0] === 'local:live', () => JSON.stringify(told));
    w.manager.setServers([]);
    expect(told.at(-1)).toEqual([]);
    w.manager.setServers([subscription(server.url, ['a'])]);
    unsubscribe();
    const count = told.length;
    w.manager.stop();
    expect(told).toHaveLength(count);
    expect(w.states.at(-1)).toEqual([]);
  });

  it('restarts only the servers whose subscription changed', async () => {
    const server = await herald();
    const a = subscription(server.url, ['a'], { id: 'one' });
    const b = subscription(server.url, ['b'], { id: 'two' });
    const w = watch([a, b]);
    await waitUntil(() => w.manager.snapshots().every((s) => s.connection.kind === 'live'), () => JSON.stringify(w.manager.snapshots()));
    expect(server.streamRequests).toHaveLength(2);
    w.manager.setServers([a, { ...b, topics: ['b', 'c'] }]);
    await waitUntil(() => server.streamRequests.length === 3 && w.manager.snapshots().every((s) => s.connection.kind === 'live'), () => JSON.stringify(w.manager.snapshots()));
    expect(new URL(server.streamRequests[2]!.url!, server.url).searchParams.get('topics')).toBe('b,c');
    w.manager.setServers([a, { ...b, topics: ['b', 'c'], enabled: false } as ServerSubscription]);
    expect(w.manager.snapshots().map((s) => s.serverId)).toEqual(['one']);
  });
});
