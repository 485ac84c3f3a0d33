// An event stream on its taken-over socket (server/http/socket-takeover.ts,
// server/hub/stream-output.ts), against a real server with raw sockets: what is on
// the wire, what happens to bytes sent after the head, HTTP/1.0 and
// `Connection: close` clients, a client leaving mid-head, shutdown, and the fallback
// to node:http when the socket cannot be taken over.

import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startStream } from '../server/hub/stream-output.ts';
import { startTestServer, waitUntil, type TestServer } from './support/herald-test-server.ts';

let server: TestServer | undefined;
let plain: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
  plain?.closeAllConnections();
  await new Promise((resolve) => (plain ? plain.close(resolve) : resolve(null)));
  plain = undefined;
});

interface RawClient {
  socket: Socket;
  text(): string;
  /** Resolves when the server has closed its side. */
  ended: Promise<void>;
}

function rawClient(port: number, request: string): RawClient {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {});
  const ended = new Promise<void>((resolve) => {
    socket.on('end', resolve);
    socket.on('close', resolve);
  });
  socket.write(request);
  return { socket, text: () => text, ended };
}

function portOf(s: TestServer): number {
  return Number(new URL(s.url).port);
}

const GET_EVENTS = 'GET /events?topics=a HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

describe('a stream on its own socket', () => {
  it('answers with a chunked head that says Connection: close, then retry, heartbeats and events', async () => {
    server = await startTestServer({ retryMs: 1500, heartbeatMs: 50 });
    const client = rawClient(portOf(server), GET_EVENTS);
    await waitUntil(() => client.text().includes(': hb'), () => `expected a heartbeat, got ${JSON.stringify(client.text())}`);
    const head = client.text().slice(0, client.text().indexOf('\r\n\r\n') + 2);
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(head).toMatch(/\r\nConnection: close\r\n/);
    expect(head).toMatch(/\r\nTransfer-Encoding: chunked\r\n/);
    expect(head).toMatch(/\r\nContent-Type: text\/event-stream; charset=utf-8\r\n/);
    expect(head).toMatch(/\r\nHerald-Heartbeat-Ms: 50\r\n/);
    expect(head).toMatch(/\r\nDate: .+ GMT\r\n/);
    // Each frame is one chunk: its size in hex, the frame, CRLF.
    // The retry is this stream's own, from 1500 to 3000 ms: always four digits, a 13-byte (d) chunk.
    const retry = /\r\n\r\nd\r\nretry: (\d{4})\n\n\r\n/.exec(client.text());
    expect(retry, client.text().slice(0, 300)).not.toBeNull();
    expect(Number(retry![1])).toBeGreaterThanOrEqual(1500);
    expect(Number(retry![1])).toBeLessThanOrEqual(3000);
    await server.publish('a', 'hello');
    await waitUntil(() => client.text().includes('"body":"hello"'), () => 'expected the event');
  });

  it('ignores bytes sent after the head: the stream goes on and no second answer comes', async () => {
    server = await startTestServer({ heartbeatMs: 0 });
    const client = rawClient(portOf(server), GET_EVENTS);
    await waitUntil(() => server!.server.hub.size === 1 && client.text().includes('retry:'), () => 'expected the stream open');
    client.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await server.publish('a', 'after');
    await waitUntil(() => client.text().includes('"body":"after"'), () => 'expected the event after the second request');
    expect(client.text().match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(server.server.hub.size).toBe(1);
  });

  it('serves a stream pipelined ahead of another request through node:http, as before', async () => {
    server = await startTestServer({ heartbeatMs: 0 });
    const client = rawClient(portOf(server), GET_EVENTS + 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitUntil(() => server!.server.hub.size === 1 && client.text().includes('retry:'), () => 'expected the stream open');
    await server.publish('a', 'pipelined');
    await waitUntil(() => client.text().includes('"body":"pipelined"'), () => 'expected the event');
    // node:http keeps the stream's socket: its own head, keep-alive, and /health waits behind the stream.
    expect(client.text()).toMatch(/\r\nConnection: keep-alive\r\n/);
    expect(client.text().match(/HTTP\/1\.1 /g)).toHaveLength(1);
    client.socket.destroy();
    await waitUntil(() => server!.server.hub.size === 0, () => 'expected the stream closed with its socket');
  });

  it('writes an HTTP/1.0 client its frames unchunked, the body ending with the connection', async () => {
    server = await startTestServer({ retryMs: 1500, heartbeatMs: 0 });
    const client = rawClient(portOf(server), 'GET /events?topics=a HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n');
    await waitUntil(() => client.text().includes('retry:'), () => 'expected the stream');
    await server.publish('a', 'old client');
    await waitUntil(() => client.text().includes('"body":"old client"'), () => 'expected the event');
    expect(client.text()).not.toMatch(/Transfer-Encoding/i);
    expect(client.text()).toMatch(/\r\nConnection: close\r\n\r\nretry: \d{4}\n\nid: /);
  });

  it('streams to a client that sent Connection: close', async () => {
    server = await startTestServer({ heartbeatMs: 0 });
    const client = rawClient(portOf(server), 'GET /events?topics=a HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await waitUntil(() => client.text().includes('retry:'), () => 'expected the stream');
    await server.publish('a', 'closing client');
    await waitUntil(() => client.text().includes('"body":"closing client"'), () => 'expected the event');
    expect(server.server.hub.size).toBe(1);
  });

  it('lets a client that leaves mid-head go without a stream, and goes on serving', async () => {
    server = await startTestServer({ heartbeatMs: 0 });
    const half = rawClient(portOf(server), 'GET /events?topics=a HTTP/1.1\r\nHost: 127.0');
    await new Promise((resolve) => setTimeout(resolve, 50));
    half.socket.destroy();
    const whole = rawClient(portOf(server), GET_EVENTS);
    await waitUntil(() => whole.text().includes('retry:'), () => 'expected the next stream');
    expect(server.server.hub.size).toBe(1);
  });

  it('frees its subscriber slot when the client leaves', async () => {
    server = await startTestServer({ heartbeatMs: 0, limits: { maxLoopbackSubscribers: 1 } });
    const first = rawClient(portOf(server), GET_EVENTS);
    await waitUntil(() => first.text().includes('retry:'), () => 'expected the first stream');
    const refused = rawClient(portOf(server), GET_EVENTS);
    await waitUntil(() => refused.text().includes('HTTP/1.1 429'), () => `expected 429, got ${JSON.stringify(refused.text().slice(0, 40))}`);
    first.socket.destroy();
    await waitUntil(() => server!.server.hub.size === 0, () => 'expected the first stream gone');
    const next = rawClient(portOf(server), GET_EVENTS);
    await waitUntil(() => next.text().includes('retry:'), () => `expected the slot free again, got ${JSON.stringify(next.text().slice(0, 40))}`);
  });

  it('ends its streams with the last chunk and closes their sockets on shutdown', async () => {
    server = await startTestServer({ heartbeatMs: 0 });
    const clients = [rawClient(portOf(server), GET_EVENTS), rawClient(portOf(server), 'GET /events?topics=b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')];
    await waitUntil(() => server!.server.hub.size === 2 && clients.every((c) => c.text().includes('retry:')), () => 'expected both streams open');
    await server.server.close();
    await Promise.all(clients.map((c) => c.ended));
    for (const client of clients) expect(client.text().endsWith('\r\n0\r\n\r\n')).toBe(true);
  });

  it('is closed by closeAllConnections like any other connection', async () => {
    server = await startTestServer({ heartbeatMs: 0 });
    const client = rawClient(portOf(server), GET_EVENTS);
    await waitUntil(() => client.text().includes('retry:'), () => 'expected the stream');
    server.server.http.closeAllConnections();
    await client.ended;
    await waitUntil(() => server!.server.hub.size === 0, () => 'expected the subscriber gone');
  });
});

describe('startStream', () => {
  /**
   * A node:http server whose every response is started with `startStream`, one frame
   * written, then ended; after a turn of the event loop, as Herald's routes start
   * theirs after reading the log (until the parser has finished the request, the
   * socket is not taken over).
   */
  async function streamingServer(internals?: Parameters<typeof startStream>[2]): Promise<number> {
    plain = createServer(async (_req, res) => {
      await new Promise((resolve) => setImmediate(resolve));
      const out = startStream(res, { 'Content-Type': 'text/event-stream' }, internals);
      out.write(Buffer.from('data: one\n\n'));
      out.end();
    });
    await new Promise<void>((resolve) => plain!.listen(0, '127.0.0.1', resolve));
    return (plain.address() as AddressInfo).port;
  }

  it('takes the socket over: the connection closes when the stream ends', async () => {
    const port = await streamingServer();
    const client = rawClient(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.ended;
    expect(client.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n[^]*\r\n\r\nb\r\ndata: one\n\n\r\n0\r\n\r\n$/);
  });

  it("falls back to node:http when its internals are missing: the stream is the response, and the connection serves the next request", async () => {
    const port = await streamingServer({});
    const client = rawClient(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitUntil(() => client.text().endsWith('0\r\n\r\n'), () => `expected the first response ended, got ${JSON.stringify(client.text())}`);
    expect(client.text()).not.toMatch(/Connection: close/);
    // node:http wrote the stream's head: its status and its headers.
    expect(client.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Content-Type: text\/event-stream\r\n/);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitUntil(() => client.text().match(/data: one/g)?.length === 2, () => 'expected a second response on the same connection');
  });

  it('refuses a header that would break the head before taking the socket, so the response can still answer', async () => {
    plain = createServer(async (_req, res) => {
      await new Promise((resolve) => setImmediate(resolve));
      try {
        startStream(res, { 'X-Bad': 'a\r\nInjected: yes' });
      } catch (error) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end((error as Error).message);
      }
    });
    await new Promise<void>((resolve) => plain!.listen(0, '127.0.0.1', resolve));
    const client = rawClient((plain.address() as AddressInfo).port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitUntil(() => client.text().includes('control characters'), () => `expected a 500 naming the header, got ${JSON.stringify(client.text())}`);
    expect(client.text()).toMatch(/^HTTP\/1\.1 500 /);
    expect(client.text()).not.toContain('Injected: yes\r\n');
  });
});
