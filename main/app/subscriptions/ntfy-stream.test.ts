// The desktop core following an ntfy server's JSON stream, against tiny node:http
// servers on 127.0.0.1 port 0 that replay ntfy's documented stream
// (test/fixtures/ntfy/docs-stream.ndjson) or misbehave on purpose. The real fetch,
// the real SubscriptionManager; timers on a ManualClock.

import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/support/herald-test-server.ts';
import { bodies, describeState, liveState, memoryResumePoints, runCleanups, settle, subscription, tinyServer, watch } from '../../../test/support/subscription-watch.ts';
import { MAX_LINE, NTFY_KEEPALIVE_MS } from './ntfy-stream.ts';
import type { ServerSubscription } from './subscription-manager.ts';

afterEach(runCleanups);

const DOCS_STREAM = readFileSync(new URL('../../../test/fixtures/ntfy/docs-stream.ndjson', import.meta.url), 'utf8');
const NDJSON = { 'Content-Type': 'application/x-ndjson; charset=utf-8' };

function ntfy(url: string, topics: string[], extra: Partial<ServerSubscription> = {}): ServerSubscription {
  return subscription(url, topics, { kind: 'ntfy', ...extra });
}

const query = (req: IncomingMessage | undefined) => new URL(req?.url ?? '/', 'http://x').searchParams;
const path = (req: IncomingMessage | undefined) => new URL(req?.url ?? '/', 'http://x').pathname;

/** A JSON stream that writes `lines` and stays open. */
function streaming(lines: string, poll: (req: IncomingMessage, res: ServerResponse) => void = (_q, res) => res.writeHead(200, NDJSON).end()) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (query(req).get('poll') === '1') return poll(req, res);
    res.writeHead(200, NDJSON);
    res.write(lines);
  };
}

describe('following an ntfy server', () => {
  it("reads ntfy's documented stream: open and keepalive kept quiet, messages mapped, the attachment and the http action left out, a poll request polled", async () => {
    const polled = '{"id":"Pq7xYbQv2R1s","time":1638542276,"event":"message","topic":"phil_alerts","title":"Polled","message":"fetched by the poll"}\n';
    const server = await tinyServer(streaming(DOCS_STREAM, (_req, res) => res.writeHead(200, NDJSON).end(polled)));
    const w = watch([ntfy(server.url, ['mytopic', 'phil_alerts', 'myhome'])]);
    await waitUntil(() => w.events.length === 4, describeState(w));
    expect(w.problems).toEqual([]);
    // The polled message comes whenever its poll is answered; the stream's in their order.
    const polledEvent = w.events.find(({ event }) => event.id === 'Pq7xYbQv2R1s')?.event;
    expect(polledEvent).toEqual({ id: 'Pq7xYbQv2R1s', type: 'notify', data: { topic: 'phil_alerts', time: 1638542276000, title: 'Polled', body: 'fetched by the poll', priority: 3, tags: [] } });
    expect(w.events.map(({ event }) => event).filter((event) => event !== polledEvent)).toEqual([
      {
        id: 'sPs71M8A2T',
        type: 'notify',
        data: {
          topic: 'mytopic',
          time: 1643935928000,
          title: 'Unauthorized access detected',
          body: 'Movement detected in the yard. You better go check',
          priority: 5,
          tags: ['warning', 'skull'],
          click: 'https://homecam.mynet.lan/incident/1234',
        },
      },
      { id: 'wze9zgqK41', type: 'notify', data: { topic: 'phil_alerts', time: 1638542110000, body: 'Remote access to phils-laptop detected. Act right away.', priority: 3, tags: [] } },
      {
        id: 'xE73Iyuabi',
        type: 'notify',
        data: {
          topic: 'myhome',
          time: 1673542291000,
          body: 'You left the house. Turn down the A/C?',
          priority: 3,
          tags: [],
          actions: [{ action: 'view', label: 'Open portal', url: 'https://home.nest.com/' }],
        },
      },
    ]);
    expect(path(server.requests[0])).toBe('/mytopic,phil_alerts,myhome/json');
    expect(query(server.requests[0]).has('since')).toBe(false);
    // The poll asked for what came after the last message passed on.
    expect(path(server.requests[1])).toBe('/phil_alerts/json');
    expect(Object.fromEntries(query(server.requests[1]))).toEqual({ poll: '1', since: 'wze9zgqK41' });
    expect(w.snapshot().connection.kind).toBe('live');
  });

  it('passes a message on once when both the poll and the stream bring it', async () => {
    const message = '{"id":"dup000000001","time":1700000000,"event":"message","topic":"a","message":"once"}\n';
    let stream: ServerResponse | undefined;
    const server = await tinyServer((req, res) => {
      if (query(req).get('poll') === '1') return res.writeHead(200, NDJSON).end(message);
      res.writeHead(200, NDJSON);
      res.write('{"id":"p","time":1700000000,"event":"poll_request","topic":"a"}\n');
      stream = res;
    });
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.events.length === 1 && server.requests.length === 2, describeState(w));
    stream?.write(message);
    stream?.write('{"id":"after0000001","time":1700000001,"event":"message","topic":"a","message":"after"}\n');
    await waitUntil(() => w.events.length === 2, describeState(w));
    expect(w.events.map(({ event }) => event.id)).toEqual(['dup000000001', 'after0000001']);
  });

  it('resumes with since=<last message id> after the stream breaks, and before any message with since=<time of the open>', async () => {
    const server = await tinyServer((req, res, count) => {
      res.writeHead(200, NDJSON);
      if (count === 1) return res.end('{"id":"o1","time":1700000000,"event":"open","topic":"a"}\n');
      if (count === 2) return res.end('{"id":"m000000000001","time":1700000001,"event":"message","topic":"a","message":"one"}\n');
      res.write('{"id":"o3","time":1700000005,"event":"open","topic":"a"}\n');
    });
    const resumePoints = memoryResumePoints();
    const w = watch([ntfy(server.url, ['a'])], { resumePoints });
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    expect(w.snapshot().connection).toMatchObject({ reason: 'the server closed the stream' });
    w.clock.advance(60_000);
    await waitUntil(() => w.events.length === 1 && w.snapshot().connection.kind === 'reconnecting', describeState(w));
    w.clock.advance(60_000);
    await waitUntil(() => server.requests.length === 3, describeState(w));
    expect(query(server.requests[0]).get('since')).toBeNull();
    expect(query(server.requests[1]).get('since')).toBe('1700000000');
    expect(query(server.requests[2]).get('since')).toBe('m000000000001');
    expect(resumePoints.load('local')).toBe('m000000000001');
  });

  it('polls with the credentials of the stream, after the id it last passed on', async () => {
    const lines = '{"id":"m1","time":1700000001,"event":"message","topic":"a","message":"one"}\n{"id":"p1","time":1700000002,"event":"poll_request","topic":"a"}\n';
    const polls: IncomingMessage[] = [];
    const server = await tinyServer(streaming(lines, (req, res) => (polls.push(req), res.writeHead(200, NDJSON).end())));
    const w = watch([ntfy(server.url, ['a'], { token: 'tk' })]);
    await waitUntil(() => polls.length === 1, describeState(w));
    expect(polls[0]!.headers.authorization).toBe('Bearer tk');
    expect(query(polls[0]).get('since')).toBe('m1');
  });

  it('reports a poll whose connection breaks, and keeps the stream', async () => {
    const pollRequest = '{"id":"p1","time":1700000000,"event":"poll_request","topic":"a"}\n';
    const server = await tinyServer(streaming(pollRequest, (req) => req.socket.destroy()));
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.problems.length > 0, describeState(w));
    expect(w.problems).toEqual([expect.stringMatching(/^polling a for a poll request failed: \S/)]);
    expect(w.snapshot().connection.kind).toBe('live');
  });

  it('retries a stream whose request breaks before any answer', async () => {
    const server = await tinyServer((req) => req.socket.destroy());
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    expect(server.requests).toHaveLength(1);
  });

  it('passes over blank lines without a word', async () => {
    const server = await tinyServer(streaming('\n  \r\n{"id":"m1","time":1700000001,"event":"message","topic":"a","message":"one"}\n\n'));
    const w = watch([ntfy(server.url, ['a'])]);
    // The blank lines come first: a word about them would be said before the message.
    await waitUntil(() => w.events.length === 1, describeState(w));
    expect(w.problems).toEqual([]);
  });

  it('asks for since=all on a first connection that wants everything the server holds', async () => {
    const server = await tinyServer(streaming(''));
    const w = watch([ntfy(server.url, ['a'], { since: 'all' })]);
    await waitUntil(liveState(w), describeState(w));
    expect(query(server.requests[0]).get('since')).toBe('all');
  });

  it("reports a poll the server refuses, with its status and explanation, and keeps the stream", async () => {
    const pollRequest = '{"id":"p1","time":1700000000,"event":"poll_request","topic":"a"}\n';
    const server = await tinyServer(
      streaming(pollRequest, (_req, res) => res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":"try later"}')),
    );
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.problems.length > 0, describeState(w));
    expect(w.problems).toEqual(['polling a for a poll request failed: HTTP 503: try later']);
    expect(w.snapshot().connection.kind).toBe('live');
  });

  it('starts from the saved resume point when the app starts again', async () => {
    const server = await tinyServer(streaming(''));
    const w = watch([ntfy(server.url, ['a', 'b'])], { resumePoints: memoryResumePoints({ local: 'kept12345678' }) });
    await waitUntil(liveState(w), describeState(w));
    expect(query(server.requests[0]).get('since')).toBe('kept12345678');
  });

  it('asks for the JSON stream, and closes it at the server when the server is removed', async () => {
    let socketClosed = false;
    const server = await tinyServer((req, res) => {
      req.socket.once('close', () => (socketClosed = true));
      streaming('')(req, res);
    });
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(liveState(w), describeState(w));
    expect(server.requests[0]?.headers.accept).toBe('application/x-ndjson, application/json');
    // No credentials configured: none sent.
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    w.manager.setServers([]);
    await waitUntil(() => socketClosed, () => "expected the stream's socket to close");
    expect(server.requests).toHaveLength(1);
  });

  it('sends a token as Bearer, and a user and password as Basic', async () => {
    const server = await tinyServer(streaming(''));
    const bearer = watch([ntfy(server.url, ['a'], { token: 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2' })]);
    await waitUntil(liveState(bearer), describeState(bearer));
    const basic = watch([ntfy(server.url, ['a'], { id: 'other', username: 'phil', token: 'mypass' })]);
    await waitUntil(() => basic.snapshot('other').connection.kind === 'live', () => describeState(basic)());
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2',
      `Basic ${Buffer.from('phil:mypass').toString('base64')}`,
    ]);
  });

  it("fails on refused credentials with ntfy's explanation, and does not retry", async () => {
    const server = await tinyServer((_req, res) =>
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"code":40101,"http":401,"error":"unauthorized","link":"https://ntfy.sh/docs/publish/#authentication"}\n'),
    );
    const w = watch([ntfy(server.url, ['a'], { username: 'phil', token: 'wrong' })]);
    await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
    const c = w.snapshot().connection;
    expect(c.kind === 'failed' && c.reason).toBe(
      "the server refused the credentials (HTTP 401): unauthorized. Set the server's token, or its user and password (herald watch --token or --user, or the server's settings)",
    );
    w.clock.advance(10 * 60_000);
    await settle();
    expect(server.requests).toHaveLength(1);
  });

  it('fails on an answer that is not an ntfy stream, naming what arrived', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html></html>'));
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
    const c = w.snapshot().connection;
    expect(c.kind === 'failed' && c.reason).toBe(`${server.url}/a/json answered text/html, not an ntfy JSON stream (application/x-ndjson). Is this an ntfy server?`);
  });

  it("takes ntfy's JSON stream types in any case, with parameters after optional spaces, and refuses types that only contain one", async () => {
    const message = '{"id":"m1","time":1673542291,"event":"message","topic":"a","message":"hello"}\n';
    for (const type of ['Application/X-NDJSON', 'application/json; charset=utf-8', 'application/stream+json ;charset=utf-8', 'application/x-ndjson\t']) {
      const server = await tinyServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': type });
        res.write(message);
      });
      const w = watch([ntfy(server.url, ['a'])]);
      await waitUntil(() => w.events.length === 1, describeState(w));
      expect(w.snapshot().connection.kind, type).toBe('live');
      w.manager.stop();
    }
    for (const type of ['text/x-application/json', 'application/jsonl', 'application/json-seq', 'application/x-ndjsonx; charset=utf-8']) {
      const server = await tinyServer((_req, res) => res.writeHead(200, { 'Content-Type': type }).end(message));
      const w = watch([ntfy(server.url, ['a'])]);
      await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
      const c = w.snapshot().connection;
      expect(c.kind === 'failed' && c.reason, type).toBe(`${server.url}/a/json answered ${type}, not an ntfy JSON stream (application/x-ndjson). Is this an ntfy server?`);
      w.manager.stop();
    }
  });

  it('names the ntfy topic stream it could not find', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"code":40401,"http":404,"error":"page not found"}'));
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'failed', describeState(w));
    const c = w.snapshot().connection;
    expect(c.kind === 'failed' && c.reason).toMatch(/^no ntfy topic stream at .*\(HTTP 404\)\. Check the server URL/);
  });

  it('reports lines that are not ntfy messages, a line too long, and keeps reading', async () => {
    const huge = `{"id":"big","time":1,"event":"message","topic":"a","message":"${'x'.repeat(MAX_LINE + 10)}"}`;
    const server = await tinyServer(
      streaming(
        [
          'not json at all',
          '[1,2,3]',
          '{"id":"x","event":"message","topic":"a","message":"no time"}',
          '{"id":"y","time":1,"event":"message","topic":"../etc","message":"bad topic"}',
          huge,
          '{"id":"z","time":1,"event":"message","topic":"a","message":"odd fields","priority":9,"click":"javascript:alert(1)","tags":"nope"}',
          '{"id":"n","time":1,"event":"newfangled","topic":"a"}',
          '{"id":"ok","time":2,"event":"message","topic":"a","message":"fine"}',
          '',
        ].join('\r\n'),
      ),
    );
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.events.length === 2, describeState(w));
    expect(w.events.map(({ event }) => [event.id, event.type === 'notify' && event.data.body, event.type === 'notify' && event.data.priority])).toEqual([
      ['z', 'odd fields', 3],
      ['ok', 'fine', 3],
    ]);
    expect(w.problems).toEqual([
      'expected an ntfy message as JSON, got "not json at all"',
      'expected an ntfy message object, got an array of 3',
      'expected "time" of the ntfy message in Unix seconds, got nothing',
      'expected the ntfy message\'s "topic" to be a topic name, got "../etc"',
      `a line of ${huge.length} characters arrived, more than the ${MAX_LINE} an ntfy message may take; skipped it`,
      'ntfy message z: left out "tags": expected an array of tags, got "nope"',
      'ntfy message z: left out "priority": expected an integer from 1 to 5, got 9',
      'ntfy message z: left out "click": expected an http(s) URL, got "javascript:alert(1)"',
    ]);
    expect(w.snapshot().connection.kind).toBe('live');
  });

  it("assumes ntfy's 45 s keepalive, and reconnects a stream silent for 2.5 of them", async () => {
    let response: ServerResponse | undefined;
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, NDJSON);
      res.write('{"id":"o","time":1700000000,"event":"open","topic":"a"}\n');
      response = res;
    });
    const w = watch([ntfy(server.url, ['a'])], { heartbeatMs: 1000 });
    await waitUntil(liveState(w), describeState(w));
    for (let i = 0; i < 3; i++) {
      w.clock.advance(NTFY_KEEPALIVE_MS);
      response?.write('{"id":"k","time":1700000045,"event":"keepalive","topic":"a"}\n');
      await settle(50);
    }
    expect(w.snapshot().connection.kind).toBe('live');
    w.clock.advance(NTFY_KEEPALIVE_MS * 2.5);
    expect(w.snapshot().connection).toMatchObject({ kind: 'reconnecting', reason: 'no data for 112.5s: the heartbeat stopped' });
    expect(server.requests).toHaveLength(1);
  });

  it('puts the topics under the base path, whatever trailing slashes it has', async () => {
    const server = await tinyServer(streaming(''));
    const w = watch([ntfy(`${server.url}/ntfy//`, ['a', 'b'])]);
    await waitUntil(liveState(w), describeState(w));
    expect(path(server.requests[0])).toBe('/ntfy/a,b/json');
  });

  it('remembers the last 2,000 message ids it passed on, and forgets older ones', async () => {
    const message = (n: number) => `{"id":"m${n}","time":1700000000,"event":"message","topic":"a","message":"${n}"}\n`;
    let stream: ServerResponse | undefined;
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, NDJSON);
      res.write(Array.from({ length: 2001 }, (_, n) => message(n)).join(''));
      stream = res;
    });
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.events.length === 2001, describeState(w));
    // m1 is among the last 2,000: passed on already. m0 came 2,001 messages ago: forgotten.
    stream?.write(message(1) + message(0) + message(2001));
    await waitUntil(() => w.events.at(-1)?.event.id === 'm2001', describeState(w));
    expect(w.events.slice(2001).map(({ event }) => event.id)).toEqual(['m0', 'm2001']);
  });

  it('reads at most 10,000 lines of one poll', async () => {
    const message = (n: number) => `{"id":"p${n}","time":1700000000,"event":"message","topic":"a","message":"${n}"}\n`;
    const pollRequest = '{"id":"pr","time":1700000000,"event":"poll_request","topic":"a"}\n';
    const server = await tinyServer(
      // Blank lines are not counted.
      streaming(pollRequest, (_req, res) => res.writeHead(200, NDJSON).end(`\n${Array.from({ length: 10_001 }, (_, n) => message(n)).join('')}`)),
    );
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.events.length >= 10_000, describeState(w));
    await settle();
    expect(w.events).toHaveLength(10_000);
    expect(w.events.at(-1)?.event.id).toBe('p9999');
  });

  it('polls with since=all when a poll request comes before any message or open', async () => {
    const polls: IncomingMessage[] = [];
    const server = await tinyServer(streaming('{"id":"p1","time":1700000002,"event":"poll_request","topic":"a"}\n', (req, res) => (polls.push(req), res.writeHead(200, NDJSON).end())));
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => polls.length === 1, describeState(w));
    expect(Object.fromEntries(query(polls[0]))).toEqual({ poll: '1', since: 'all' });
  });

  it('reports a poll refused without an explanation by its status alone', async () => {
    const pollRequest = '{"id":"p1","time":1700000000,"event":"poll_request","topic":"a"}\n';
    const server = await tinyServer(streaming(pollRequest, (_req, res) => res.writeHead(503).end()));
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.problems.length > 0, describeState(w));
    expect(w.problems).toEqual(['polling a for a poll request failed: HTTP 503']);
  });

  it('decodes a character whose bytes arrive in two chunks, on the stream and in a poll, and reads a last line without its newline', async () => {
    const polled = Buffer.from('{"id":"q1","time":1700000001,"event":"message","topic":"a","message":"poll ☂"}');
    const streamed = Buffer.from('{"id":"s1","time":1700000000,"event":"message","topic":"a","message":"stream ☂"}\n{"id":"p1","time":1700000000,"event":"poll_request","topic":"a"}\n');
    const cutIn = (bytes: Buffer) => bytes.indexOf(Buffer.from('☂')) + 1;
    const server = await tinyServer(async (req, res) => {
      res.writeHead(200, NDJSON);
      const bytes = query(req).get('poll') === '1' ? polled : streamed;
      res.write(bytes.subarray(0, cutIn(bytes)));
      await settle(100);
      // The poll's answer ends without a newline after its last line.
      if (query(req).get('poll') === '1') res.end(bytes.subarray(cutIn(bytes)));
      else res.write(bytes.subarray(cutIn(bytes)));
    });
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.events.length === 2, describeState(w));
    expect(bodies(w)).toEqual(['stream ☂', 'poll ☂']);
    expect(w.problems).toEqual([]);
  });

  it('reads the last line of a stream that ends without its newline, then reconnects', async () => {
    const server = await tinyServer((_req, res, count) => {
      res.writeHead(200, NDJSON);
      if (count === 1) res.end('{"id":"last","time":1700000000,"event":"message","topic":"a","message":"no newline"}');
    });
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    expect(bodies(w)).toEqual(['no newline']);
    expect(w.snapshot().connection).toMatchObject({ reason: 'the server closed the stream' });
  });

  it('retries a stream that breaks after its messages, saying the connection was lost', async () => {
    const server = await tinyServer((req, res) => {
      res.writeHead(200, NDJSON);
      res.write('{"id":"m1","time":1700000000,"event":"message","topic":"a","message":"before"}\n', () => setTimeout(() => req.socket.destroy(), 50));
    });
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    expect(w.snapshot().connection).toMatchObject({ reason: expect.stringMatching(/^connection lost: \S/) });
    expect(bodies(w)).toEqual(['before']);
  });

  it('says nothing more of a stream it gave up for silence', async () => {
    const server = await tinyServer(streaming('{"id":"o","time":1700000000,"event":"open","topic":"a"}\n'));
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(liveState(w), describeState(w));
    w.clock.advance(NTFY_KEEPALIVE_MS * 2.5);
    const reconnecting = w.snapshot().connection;
    expect(reconnecting).toMatchObject({ kind: 'reconnecting', reason: 'no data for 112.5s: the heartbeat stopped' });
    // The aborted request's read fails now; that is no news.
    await settle();
    expect(w.snapshot().connection).toEqual(reconnecting);
    expect(w.problems).toEqual([]);
  });

  it('drops a poll still in flight when the stream ends, and hears nothing from it', async () => {
    let pollClosed = false;
    let endStream: (() => void) | undefined;
    const server = await tinyServer((req, res) => {
      if (query(req).get('poll') === '1') {
        // Held: answered only if the client still wants it.
        res.writeHead(200, NDJSON).flushHeaders();
        req.socket.once('close', () => (pollClosed = true));
        endStream?.();
        return;
      }
      res.writeHead(200, NDJSON);
      res.write('{"id":"p1","time":1700000000,"event":"poll_request","topic":"a"}\n');
      endStream = () => res.end();
    });
    const w = watch([ntfy(server.url, ['a'])]);
    await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));
    await waitUntil(() => pollClosed, () => "expected the poll's socket to close");
    await settle();
    expect(w.problems).toEqual([]);
    expect(w.events).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });
});
