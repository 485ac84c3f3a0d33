// The desktop core following a plain Server-Sent Events URL (not a Herald server):
// small node:http SSE servers on 127.0.0.1 port 0, the real fetch, the real
// SubscriptionManager; timers on a ManualClock.

import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/support/herald-test-server.ts';
import { describeState, liveState, runCleanups, settle, subscription, tinyServer, watch } from '../../../test/support/subscription-watch.ts';
import { MAX_SSE_EVENT } from './sse-url-stream.ts';
import type { ServerSubscription } from './subscription-manager.ts';

afterEach(runCleanups);

const SSE = { 'Content-Type': 'text/event-stream' };

function sse(url: string, extra: Partial<ServerSubscription> = {}): ServerSubscription {
  return subscription(`${url}/stream/feed?x=1`, ['weather'], { kind: 'sse', ...extra });
}

const notes = (w: ReturnType<typeof watch>) =>
  w.events.map(({ event }) => (event.type === 'notify' ? { id: event.id, title: event.data.title, body: event.data.body } : event.type));

describe('following a plain SSE URL', () => {
  it("shows each event's data as text, titled by its type or the topic, at the URL as given", async () => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, SSE);
      res.write(': a comment\n\n');
      res.write('data: first line\ndata: second line\n\n');
      res.write('event: storm\nid: 7\ndata: {"wind": 90}\n\n');
      res.write('data: no id again\n\n');
    });
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.events.length === 3, describeState(w));
    expect(w.events.map(({ event }) => event.type === 'notify' && { title: event.data.title, body: event.data.body, topic: event.data.topic, priority: event.data.priority })).toEqual([
      { title: 'weather', body: 'first line\nsecond line', topic: 'weather', priority: 3 },
      { title: 'storm', body: '{"wind": 90}', topic: 'weather', priority: 3 },
      { title: 'weather', body: 'no id again', topic: 'weather', priority: 3 },
    ]);
    expect(w.events[1]?.event.id).toBe('7');
    // Events without an id of their own get distinct ones made here.
    expect(new Set(w.events.map(({ event }) => event.id)).size).toBe(3);
    expect(server.requests[0]?.url).toBe('/stream/feed?x=1');
    expect(server.requests[0]?.headers.accept).toBe('text/event-stream');
    expect(server.requests[0]?.headers['cache-control']).toBe('no-store');
    // No credentials configured: none sent.
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(w.snapshot().lastEventId).toBe('7');
  });

  it('maps JSON data with templates, like the generic webhooks', async () => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, SSE);
      res.write('event: status\nid: a1\ndata: {"service":"db","state":"down","severity":"high","kind":"outage,db","url":"https://status.example/db"}\n\n');
      res.write('event: status\nid: a2\ndata: {"service":"db","state":"up","severity":"loud","url":"mailto:x@y"}\n\n');
      res.write('event: status\nid: a3\ndata: plain words\n\n');
    });
    const templates = { title: '{{ data.service }} is {{ data.state }}', body: '{{ event }} #{{ id }}', priority: '{{ data.severity }}', tags: '{{ data.kind }}', click: '{{ data.url }}' };
    const w = watch([sse(server.url, { templates })]);
    await waitUntil(() => w.events.length === 3, describeState(w));
    expect(w.events.map(({ event }) => event.data)).toEqual([
      expect.objectContaining({ title: 'db is down', body: 'status #a1', priority: 4, tags: ['outage', 'db'], click: 'https://status.example/db' }),
      expect.objectContaining({ title: 'db is up', body: 'status #a2', priority: 3, tags: [] }),
      // Not JSON: the templates see the text as `data`; a title that finds none of its values takes the default (the type).
      expect.objectContaining({ title: 'status', body: 'status #a3', priority: 3 }),
    ]);
    expect(w.events[1]?.event.data).not.toHaveProperty('click');
    expect(w.problems).toEqual([
      'event a2: priority left at 3: expected a priority of 1 to 5 or min, low, default, high, max, urgent; got "loud"',
      'event a2: click left out: expected an http(s) URL, got "mailto:x@y"',
    ]);
  });

  it('reconnects with Last-Event-ID after the stream ends, no sooner than its retry:', async () => {
    const server = await tinyServer((_req, res, count) => {
      res.writeHead(200, SSE);
      if (count === 1) return res.end('retry: 5000\n\nid: 41\ndata: before\n\n');
      res.write('id: 42\ndata: after\n\n');
    });
    const w = watch([sse(server.url, { token: 'sesame' })]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    const c = w.snapshot().connection;
    expect(c.kind === 'reconnecting' && c.retryAt - w.clock.now()).toBe(5000);
    w.clock.advance(5000);
    await waitUntil(() => w.events.length === 2, describeState(w));
    expect(notes(w).map((n) => typeof n === 'object' && n.body)).toEqual(['before', 'after']);
    expect(server.requests[0]?.headers['last-event-id']).toBeUndefined();
    expect(server.requests[1]?.headers['last-event-id']).toBe('41');
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer sesame', 'Bearer sesame']);
  });

  it('stays connected through long silence: such streams need not send heartbeats', async () => {
    let response: ServerResponse | undefined;
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, SSE);
      res.write('data: hello\n\n');
      response = res;
    });
    const w = watch([sse(server.url)], { heartbeatMs: 1000 });
    await waitUntil(() => w.events.length === 1, describeState(w));
    w.clock.advance(24 * 3600_000);
    await settle();
    expect(w.snapshot().connection.kind).toBe('live');
    response?.write('data: a day later\n\n');
    await waitUntil(() => w.events.length === 2, describeState(w));
    expect(server.requests).toHaveLength(1);
  });

  it('fails on an answer that is not an event stream, naming it', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
    const c = w.snapshot().connection;
    expect(c.kind === 'failed' && c.reason).toBe(`${server.url}/stream/feed?x=1 answered application/json, not text/event-stream. Is this a Server-Sent Events endpoint?`);
  });

  it('names the event stream it could not find', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(404).end());
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
    const c = w.snapshot().connection;
    expect(c.kind === 'failed' && c.reason).toMatch(/^no event stream at .*\(HTTP 404\)\. Check the server URL/);
  });

  it('fails on refused credentials, saying what to set, and does not retry', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(401, { 'Content-Type': 'text/plain' }).end('who are you?'));
    const w = watch([sse(server.url, { token: 'wrong' })]);
    await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
    const c = w.snapshot().connection;
    expect(c.kind === 'failed' && c.reason).toBe(
      "the server refused the credentials (HTTP 401): who are you?. Set the stream's token, or its user and password (herald watch --token or --user, or the server's settings)",
    );
    w.clock.advance(10 * 60_000);
    await settle();
    expect(server.requests).toHaveLength(1);
  });

  it('reports an event too large and reads on', async () => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, SSE);
      res.write(`data: ${'x'.repeat(MAX_SSE_EVENT + 100)}\n\n`);
      // Many lines, each short, that add up to too much.
      res.write(`${`data: ${'y'.repeat(60_000)}\n`.repeat(20)}\n`);
      res.write('data: small\n\n');
    });
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.events.length === 1 && w.problems.length === 2, describeState(w));
    expect(notes(w).map((n) => typeof n === 'object' && n.body)).toEqual(['small']);
    expect(w.problems).toEqual(Array(2).fill(`${server.url}/stream/feed?x=1: an event of more than ${MAX_SSE_EVENT} characters arrived; skipped it`));
    expect(w.snapshot().connection.kind).toBe('live');
    expect(liveState(w)()).toBe(true);
  });

  it("names an event without an `event:` field 'message' to its templates", async () => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, SSE);
      res.write('data: untyped\n\n');
    });
    const w = watch([sse(server.url, { templates: { title: 'a {{ event }}' } })]);
    await waitUntil(() => w.events.length === 1, describeState(w));
    expect(notes(w)).toEqual([{ id: expect.any(String), title: 'a message', body: 'untyped' }]);
  });

  it('reports an event it cannot show, and reads on', async () => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, SSE);
      res.write('id: e1\ndata: one\n\nid: e2\ndata: two\n\n');
    });
    // A topic that is no topic name (the settings refuse it; the stream must not fall over).
    const w = watch([sse(server.url, { topics: ['no topic'] })]);
    await waitUntil(() => w.problems.length === 2, describeState(w));
    expect(w.problems).toEqual([
      'event e1 (message) cannot be shown: expected a topic of [A-Za-z0-9_.-] segments joined by "/", got "no topic"',
      'event e2 (message) cannot be shown: expected a topic of [A-Za-z0-9_.-] segments joined by "/", got "no topic"',
    ]);
    expect(w.events).toEqual([]);
    expect(w.snapshot().connection.kind).toBe('live');
  });

  it('skips all of an event from its first line too long, and says so once', async () => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, SSE);
      // Lines that add up to too much, then one line too long on its own: one event, one word.
      res.write(`${`data: ${'y'.repeat(600_000)}\n`.repeat(2)}data: ${'z'.repeat(MAX_SSE_EVENT + 10)}\n\n`);
      // A line too long, then short lines of the same event: none of them is read.
      res.write(`data: ${'x'.repeat(MAX_SSE_EVENT + 10)}\ndata: tail\nid: t1\n\n`);
      res.write('data: small\n\n');
    });
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.events.length === 1, describeState(w));
    expect(notes(w).map((n) => typeof n === 'object' && n.body)).toEqual(['small']);
    expect(w.problems).toEqual(Array(2).fill(`${server.url}/stream/feed?x=1: an event of more than ${MAX_SSE_EVENT} characters arrived; skipped it`));
    expect(w.snapshot().lastEventId).toBeNull();
  });

  it(`reads an event of exactly ${MAX_SSE_EVENT} characters (each line with its newline), and skips one more`, async () => {
    // `data: ` and the newline count: this line makes MAX_SSE_EVENT with its newline.
    const fits = `data: ${'f'.repeat(MAX_SSE_EVENT - 7)}\n`;
    const over = `data: ${'o'.repeat(MAX_SSE_EVENT - 6)}\n`;
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, SSE);
      res.write(`${fits}\n`);
      res.write(`${over}\n`);
      res.write('data: small\n\n');
    });
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.events.length === 2 && w.problems.length > 0, describeState(w));
    await settle();
    expect(notes(w).map((n) => typeof n === 'object' && n.body[0])).toEqual(['f', 's']);
    expect(w.problems.filter((p) => p.endsWith('skipped it'))).toEqual([`${server.url}/stream/feed?x=1: an event of more than ${MAX_SSE_EVENT} characters arrived; skipped it`]);
  });

  it('decodes a character whose bytes arrive in two chunks', async () => {
    const bytes = Buffer.from('data: café ☂\n\n');
    const cut = bytes.indexOf(Buffer.from('☂')) + 1;
    const server = await tinyServer(async (_req, res) => {
      res.writeHead(200, SSE);
      res.write(bytes.subarray(0, cut));
      await settle(100);
      res.write(bytes.subarray(cut));
    });
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.events.length === 1, describeState(w));
    expect(notes(w).map((n) => typeof n === 'object' && n.body)).toEqual(['café ☂']);
    expect(w.problems).toEqual([]);
  });

  it('retries a stream whose request breaks before any answer', async () => {
    const server = await tinyServer((req) => req.socket.destroy());
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    expect(w.snapshot().connection).toMatchObject({ reason: expect.stringMatching(/^connection lost: \S/) });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a stream that breaks after its events, saying the connection was lost', async () => {
    const server = await tinyServer((req, res) => {
      res.writeHead(200, SSE);
      res.write('data: before\n\n', () => setTimeout(() => req.socket.destroy(), 50));
    });
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    expect(w.snapshot().connection).toMatchObject({ reason: expect.stringMatching(/^connection lost: \S/) });
    expect(notes(w).map((n) => typeof n === 'object' && n.body)).toEqual(['before']);
  });

  it('does not read an error answer as events, even one that says text/event-stream', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(500, SSE).end('data: not an event\n\n'));
    const w = watch([sse(server.url)]);
    await waitUntil(() => w.snapshot().connection.kind !== 'connecting', describeState(w));
    expect(w.snapshot().connection).toMatchObject({ kind: 'reconnecting', reason: expect.stringContaining('500') });
    expect(w.events).toEqual([]);
  });

  it('closes the stream at the server when the subscription is removed', async () => {
    let socketClosed = false;
    const server = await tinyServer((req, res) => {
      req.socket.once('close', () => (socketClosed = true));
      res.writeHead(200, SSE);
      res.write(': open\n\n');
    });
    const w = watch([sse(server.url)]);
    await waitUntil(liveState(w), describeState(w));
    w.manager.setServers([]);
    await waitUntil(() => socketClosed, () => "expected the stream's socket to close");
    expect(server.requests).toHaveLength(1);
  });
});
