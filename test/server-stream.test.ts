// GET /events against a real server: multiplexing, wildcards, retry and heartbeat,
// resume (Last-Event-ID, ?since), replay hand-over, gap, end and 204, cleanup.

import { afterEach, describe, expect, it } from 'vitest';
import type { HeraldServerOptions } from '../server/plugin.ts';
import type { NewEvent } from '../server/protocol/events.ts';
import {
  openEventSource,
  openRawStream,
  rawRequest,
  startTestServer,
  waitUntil,
  type EventSourceClient,
  type RawStream,
  type TestServer,
} from './support/herald-test-server.ts';

let server: TestServer | undefined;
const clients: Array<EventSourceClient | RawStream> = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
});

async function start(options: Partial<HeraldServerOptions> = {}): Promise<TestServer> {
  server = await startTestServer(options);
  return server;
}

function sse(path: string, headers: Record<string, string> = {}): EventSourceClient {
  const client = openEventSource(`${server!.url}${path}`, headers);
  clients.push(client);
  return client;
}

async function raw(path: string, headers: Record<string, string> = {}): Promise<RawStream> {
  const stream = await openRawStream(`${server!.url}${path}`, headers);
  clients.push(stream);
  return stream;
}

function note(topic: string, body: string): NewEvent {
  return { type: 'notify', data: { topic, time: Date.now(), body, priority: 3, tags: [] } };
}

function end(topic: string): NewEvent {
  return { type: 'end', data: { topic, time: Date.now(), state: 'succeeded', exitCode: 0, durationMs: 5, summary: 'done' } };
}

async function publish(...events: NewEvent[]): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events) ids.push((await server!.server.publisher.publish(event))!.id);
  return ids;
}

async function subscribed(count: number): Promise<void> {
  await waitUntil(() => server!.server.hub.size === count, () => `expected ${count} subscribers, got ${server!.server.hub.size}`);
}

describe('multiplexing', () => {
  it('carries exact topics, one-segment and any-depth wildcards over one connection', async () => {
    await start();
    const client = sse('/events?topics=a,job/*,deep/**');
    await subscribed(1);
    for (const topic of ['a', 'b', 'job/x', 'job/x/y', 'deep', 'deep/1/2', 'ab', 'job']) await publish(note(topic, topic));
    await publish(note('a', 'last'));
    const events = await client.waitFor(4);
    expect(events.map((e) => e.data.topic)).toEqual(['a', 'job/x', 'deep/1/2', 'a']);
    expect(events.map((e) => e.type)).toEqual(['notify', 'notify', 'notify', 'notify']);
    expect(events.map((e) => e.data.body)).toEqual(['a', 'job/x', 'deep/1/2', 'last']);
  });

  it('sends a jittered retry first and a heartbeat comment on the configured interval, which it announces', async () => {
    await start({ retryMs: 1234, heartbeatMs: 40 });
    const stream = await raw('/events?topics=a');
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    // Clients time their silence watchdog by this rather than assuming 15 s.
    expect(stream.headers['herald-heartbeat-ms']).toBe('40');
    await waitUntil(() => stream.comments.length >= 2, () => `expected 2 heartbeats, got ${stream.comments.length}`);
    // Each stream is told its own delay in [retryMs, 2 x retryMs] (docs/protocol.md).
    expect(stream.retry).toBeGreaterThanOrEqual(1234);
    expect(stream.retry).toBeLessThanOrEqual(2468);
    expect(stream.comments.slice(0, 2)).toEqual(['hb', 'hb']);
  });

  it('tells each stream its own retry, so clients cut at once do not come back at once', async () => {
    await start({ retryMs: 1000, heartbeatMs: 0 });
    const streams = await Promise.all(Array.from({ length: 12 }, () => raw('/events?topics=a')));
    await waitUntil(() => streams.every((s) => s.retry !== null), () => `retries so far: ${JSON.stringify(streams.map((s) => s.retry))}`);
    const delays = streams.map((s) => s.retry!);
    for (const ms of delays) {
      expect(ms).toBeGreaterThanOrEqual(1000);
      expect(ms).toBeLessThanOrEqual(2000);
    }
    // Twelve draws from 1,001 values all equal is a 1e-33 chance; a fixed retry always is.
    expect(new Set(delays).size, JSON.stringify(delays)).toBeGreaterThan(1);
  });

  it('refuses a stream with no topics, a bad pattern or a bad resume id with a JSON 400, and opens none for HEAD', async () => {
    await start();
    const noTopics = await rawRequest(`${server!.url}/events`);
    expect(noTopics.status).toBe(400);
    expect(noTopics.body).toMatchObject({ code: 'bad_topic' });
    const badPattern = await rawRequest(`${server!.url}/events?topics=a/**/b`);
    expect(badPattern.status).toBe(400);
    expect(badPattern.body.error).toMatch(/"\*\*" may only be the last segment/);
    const badId = await rawRequest(`${server!.url}/events?topics=a`, { headers: { 'Last-Event-ID': 'abc' } });
    expect(badId.status).toBe(400);
    expect(badId.body).toMatchObject({ code: 'bad_id' });
    expect(badId.body.error).toMatch(/Last-Event-ID.*"abc"/);
    const head = await rawRequest(`${server!.url}/events?topics=a`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
    const badSince = await rawRequest(`${server!.url}/events?topics=a&since=-1`);
    expect(badSince.status).toBe(400);
    expect(server!.server.hub.size).toBe(0);
  });
});

describe('resume', () => {
  it('resumes after a dropped connection without losing or repeating an event', async () => {
    await start({ retryMs: 50 });
    const client = sse('/events?topics=a,b');
    await subscribed(1);
    const before = await publish(note('a', '1'), note('b', '2'), note('a', '3'));
    await client.waitFor(3);
    // Drop every connection; publish while the client is away.
    server!.server.http.closeAllConnections();
    await subscribed(0);
    const during = await publish(note('a', '4'), note('b', '5'), note('c', 'other topic'), note('a', '6'));
    await waitUntil(() => client.opens >= 2, () => 'expected the client to reconnect');
    const after = await publish(note('b', '7'));
    await client.waitFor(7);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const expected = [...before, ...during.filter((_, i) => i !== 2), ...after];
    expect(client.events.map((e) => e.id)).toEqual(expected);
    expect(client.events.map((e) => e.data.body)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('replays after ?since=<id>, everything with ?since=all, and lets Last-Event-ID win over since', async () => {
    await start();
    const ids = await publish(note('a', '1'), note('a', '2'), note('a', '3'));
    const since = await raw(`/events?topics=a&since=${ids[0]}`);
    expect((await since.waitFor(2)).map((m) => m.id)).toEqual(ids.slice(1));
    const all = await raw('/events?topics=a&since=all');
    expect((await all.waitFor(3)).map((m) => m.data)).toEqual(ids.map((_, i) => expect.stringContaining(`"body":"${i + 1}"`)));
    const header = await raw(`/events?topics=a&since=all`, { 'Last-Event-ID': ids[1]! });
    await header.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(header.messages.map((m) => m.id)).toEqual([ids[2]]);
  });

  it('hands a long replay over to live events without loss or duplicates', async () => {
    await start({ replayPageSize: 50, retention: { maxEventsPerTopic: 10_000 } });
    const { publisher } = server!.server;
    const backlog = await Promise.all(Array.from({ length: 3000 }, (_, i) => publisher.publish(note('x', `b${i}`))));
    const stream = await raw('/events?topics=x&since=all');
    await stream.waitFor(1);
    // Live events race the replay: they are committed while pages are still being read.
    const live = await Promise.all(Array.from({ length: 200 }, (_, i) => publisher.publish(note('x', `l${i}`))));
    const receivedWhenLiveCommitted = stream.messages.length;
    const more = await publisher.publish(note('x', 'after'));
    const expected = [...backlog, ...live, more].map((e) => e!.id);
    await stream.waitFor(expected.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receivedWhenLiveCommitted).toBeLessThan(backlog.length);
    expect(stream.messages.map((m) => m.id)).toEqual(expected);
  });
});

describe('gap after retention', () => {
  it('sends one gap per topic saying how many events were lost, then the retained ones', async () => {
    await start({ retention: { maxEventsPerTopic: 3 } });
    const [first] = await publish(note('a', 'a0'));
    const later = await publish(note('a', 'a1'), note('b', 'b1'), note('a', 'a2'), note('a', 'a3'), note('a', 'a4'), note('a', 'a5'));
    const stream = await raw(`/events?topics=a,b&since=${first}`);
    const messages = await stream.waitFor(5);
    const gap = messages[0]!;
    expect(gap.event).toBe('gap');
    expect(gap.id).toBe(first);
    expect(JSON.parse(gap.data)).toMatchObject({ topic: 'a', reason: 'retention', since: first, lost: 2 });
    expect(JSON.parse(gap.data).message).toMatch(/2 events of a/);
    // a1 and a2 are gone; b1 and the last three of a remain.
    expect(messages.slice(1).map((m) => m.id)).toEqual([later[1], later[3], later[4], later[5]]);
  });

  it('sends no gap when nothing after the resume id was dropped', async () => {
    await start({ retention: { maxEventsPerTopic: 2 } });
    const ids = await publish(note('a', '1'), note('a', '2'), note('a', '3'));
    const stream = await raw(`/events?topics=a&since=${ids[1]}`);
    await stream.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.messages.map((m) => [m.event, m.id])).toEqual([['notify', ids[2]]]);
  });
});

describe('end', () => {
  it('answers 204 to a request whose topics have all ended, so EventSource stops', async () => {
    await start({ retryMs: 20 });
    await publish(note('job/1', 'running'), end('job/1'), end('job/2'));
    const plain = await rawRequest(`${server!.url}/events?topics=job/1,job/2`);
    expect(plain.status).toBe(204);
    const client = sse('/events?topics=job/1');
    await waitUntil(() => client.es.readyState === 2, () => `expected CLOSED, got readyState ${client.es.readyState}`);
    expect(client.opens).toBe(0);
    expect(server!.server.hub.size).toBe(0);
  });

  it('replays up to the end and then closes when resuming from before it', async () => {
    await start();
    const ids = await publish(note('job/1', 'a'), note('job/1', 'b'), end('job/1'));
    const stream = await raw(`/events?topics=job/1&since=${ids[0]}`);
    await stream.ended;
    expect(stream.status).toBe(200);
    expect(stream.messages.map((m) => m.event)).toEqual(['notify', 'end']);
  });

  it('sends the end and closes the response once every exact topic has ended', async () => {
    await start();
    const stream = await raw('/events?topics=a,b');
    await subscribed(1);
    await publish(end('a'));
    await stream.waitFor(1);
    expect(stream.isEnded()).toBe(false);
    await publish(note('b', 'still here'), end('b'));
    await stream.ended;
    expect(stream.messages.map((m) => `${m.event}:${JSON.parse(m.data).topic}`)).toEqual(['end:a', 'notify:b', 'end:b']);
    await subscribed(0);
  });

  it('keeps a wildcard subscription open after its topics end', async () => {
    await start();
    const stream = await raw('/events?topics=job/*');
    await subscribed(1);
    await publish(end('job/1'));
    await stream.waitFor(1);
    await publish(note('job/2', 'next'));
    await stream.waitFor(2);
    expect(stream.isEnded()).toBe(false);
  });

  it('starts an ended topic again when something new is published to it', async () => {
    await start();
    await publish(end('job/1'));
    expect((await rawRequest(`${server!.url}/events?topics=job/1`)).status).toBe(204);
    await publish(note('job/1', 'again'));
    const stream = await raw('/events?topics=job/1');
    expect(stream.status).toBe(200);
    await publish(note('job/1', 'live'));
    expect((await stream.waitFor(1))[0]!.data).toContain('"live"');
  });
  it('judges each request by the topic as it is now, when it ends and starts again between requests', async () => {
    await start();
    await publish(note('job/1', 'running'));
    const before = await raw('/events?topics=job/1');
    expect(before.status).toBe(200);
    await subscribed(1);
    await publish(end('job/1'));
    await before.ended;
    expect((await rawRequest(`${server!.url}/events?topics=job/1`)).status).toBe(204);
    await publish(note('job/1', 'again'));
    const after = await raw('/events?topics=job/1');
    expect(after.status).toBe(200);
    await publish(end('job/1'));
    await after.ended;
    expect((await rawRequest(`${server!.url}/events?topics=job/1`)).status).toBe(204);
  });
});

describe('disconnect cleanup', () => {
  it('removes every subscriber whose client went away', async () => {
    await start({ heartbeatMs: 20 });
    const streams = [await raw('/events?topics=a'), await raw('/events?topics=b,c'), await raw('/events?topics=job/**')];
    const client = sse('/events?topics=a');
    await subscribed(4);
    expect(server!.server.hub.subscribersOf('a')).toBe(2);
    for (const stream of streams) stream.close();
    client.close();
    await subscribed(0);
    expect(server!.server.hub.subscribersOf('a')).toBe(0);
    const health = await rawRequest(`${server!.url}/health`);
    expect(health.body.subscribers).toBe(0);
  });
});
