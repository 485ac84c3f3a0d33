// Every resource limit, reached on a real server on 127.0.0.1: each refusal is a
// clear 4xx/503 with a JSON {error, code}, and the server stays healthy afterwards.
// Limits with their defaults are tested through createHeraldServer; the ones a test
// must lower (timeouts, subscriber counts) on a server built from the same parts
// (real router, routes, SQLite log, hub and createHttpServer) with those limits set.

import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openRawStream, rawRequest, startTestServer, waitUntil, type RawStream, type TestServer } from './support/herald-test-server.ts';
import { ManualClock } from './support/manual-clock.ts';
import { openSqliteLog } from '../server/store/sqlite-log.ts';
import { Hub } from '../server/hub/hub.ts';
import { PublishService } from '../server/core/publish-service.ts';
import { systemClock } from '../server/protocol/clock.ts';
import { Router } from '../server/http/router.ts';
import { eventsRoute } from '../server/http/routes/events.ts';
import { publishRoute } from '../server/http/routes/publish.ts';
import { healthRoute } from '../server/http/routes/status.ts';
import { RateLimiter, DEFAULT_RATE_LIMIT } from '../server/http/rate-limit.ts';
import { createRequestHandler } from '../server/http/request-handler.ts';
import { createTokenCheck } from '../server/http/auth.ts';
import { createHttpServer } from '../server/http/http-server.ts';
import { serverLimits, type ServerLimits } from '../server/server-limits.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function testServer(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  cleanups.push(() => server.close());
  return server;
}

/** A server built from the real parts with `overrides` as its limits. */
async function limitedServer(overrides: Partial<ServerLimits>): Promise<{ url: string; port: number; publisher: PublishService; hub: Hub }> {
  const limits = serverLimits(overrides);
  const log = openSqliteLog({ path: ':memory:' });
  const hub = new Hub(log, { heartbeatMs: 0 });
  const publisher = new PublishService(log);
  const settings = { retryMs: 1000, heartbeatMs: 0, maxQueueBytes: 1 << 20, replayPageSize: 100 };
  const router = new Router([
    eventsRoute({ hub, log, clock: systemClock, settings, limits }),
    publishRoute({ publisher, clock: systemClock, rateLimiter: new RateLimiter(DEFAULT_RATE_LIMIT, systemClock), maxBodyBytes: 4096, bodyTimeoutMs: limits.bodyTimeoutMs }),
    healthRoute({ hub, log, clock: systemClock, startedAt: 0, version: 'test', connections: () => 0 }),
  ]);
  const http: Server = createHttpServer(createRequestHandler({ router, checkToken: createTokenCheck(undefined), limits }), limits);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    hub.closeAll();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    publisher.close();
    await log.close();
  });
  const port = (http.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, publisher, hub };
}

/** A raw socket: what it receives, and a promise for when the server closes it. */
function rawSocket(port: number): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  cleanups.push(() => socket.destroy());
  return { socket, received: () => text, closed };
}

function jsonBodyOf(response: string): { error: string; code: string } {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { error: string; code: string };
}

async function openStream(url: string): Promise<RawStream> {
  const stream = await openRawStream(url);
  cleanups.push(() => stream.close());
  return stream;
}

describe('request size', () => {
  it('refuses more topics than one connection may carry with 400, naming the limit', async () => {
    const server = await testServer();
    const topics = Array.from({ length: 501 }, (_, i) => `t${i}`).join(',');
    const answer = await rawRequest(`${server.url}/events?topics=${topics}`, { headers: { Accept: 'text/event-stream' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 'bad_topic', error: expect.stringContaining('at most 500 topics or patterns on one connection, got 501') });
    const fits = await openStream(`${server.url}/events?topics=${Array.from({ length: 500 }, (_, i) => `t${i}`).join(',')}`);
    expect(fits.status).toBe(200);
  });

  it('refuses a request target over 8 KiB with 414', async () => {
    const server = await testServer();
    const answer = await rawRequest(`${server.url}/events?topics=${'a'.repeat(9000)}`);
    expect(answer.status).toBe(414);
    expect(answer.body).toEqual({ code: 'uri_too_long', error: expect.stringMatching(/at most 8192 bytes, got 90\d\d/) });
    expect((await rawRequest(`${server.url}/health`)).status).toBe(200);
  });

  it("refuses headers past Node's maxHeaderSize with 431 and a JSON body", async () => {
    const server = await limitedServer({ maxHeaderBytes: 2048 });
    const { socket, received, closed } = rawSocket(server.port);
    socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(4000)}\r\n\r\n`);
    await closed;
    expect(received()).toMatch(/^HTTP\/1.1 431 Request Header Fields Too Large\r\n/);
    expect(jsonBodyOf(received())).toEqual({ code: 'headers_too_large', error: expect.stringContaining('at most 2048 bytes') });
    expect((await rawRequest(`${server.url}/health`)).status).toBe(200);
  });
});

describe("what Node refuses before a route runs", () => {
  it.each([
    ['a request its parser cannot read', 'POST /topics/a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', 400, 'bad_request'],
    ['an Expect other than 100-continue', 'POST /topics/a HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: tea\r\nContent-Length: 1\r\n\r\nx', 417, 'expectation_failed'],
    ['CONNECT (this is not a proxy)', 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 405, 'method_not_allowed'],
  ] as const)('answers %s with a JSON {error, code}', async (_what, request, status, code) => {
    const server = await limitedServer({});
    const { socket, received, closed } = rawSocket(server.port);
    socket.write(request);
    await waitUntil(() => received().includes('}'), () => `no answer yet: ${JSON.stringify(received())}`);
    socket.end();
    await closed;
    expect(received()).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(jsonBodyOf(received())).toEqual({ code, error: expect.stringMatching(/^expected /) });
  });
});

describe('timeouts', () => {
  it('closes a connection that sends nothing, or dribbles its headers, at the headers timeout with 408', async () => {
    const server = await limitedServer({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const silent = rawSocket(server.port);
    const dribbler = rawSocket(server.port);
    dribbler.socket.write('POST /topics/a HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => dribbler.socket.write('X'), 50);
    cleanups.push(() => clearInterval(drip));
    await Promise.all([silent.closed, dribbler.closed]);
    for (const { received } of [silent, dribbler]) {
      expect(received()).toMatch(/^HTTP\/1.1 408 Request Timeout\r\n/);
      expect(jsonBodyOf(received()).code).toBe('request_timeout');
    }
    expect((await rawRequest(`${server.url}/health`)).status).toBe(200);
  });

  it('answers 408 and closes the connection when a publish body does not arrive in time (slowloris), storing nothing', async () => {
    const clock = new ManualClock();
    const server = await testServer({ clock });
    const timersBefore = clock.pending;
    const { socket, received, closed } = rawSocket(server.server.port);
    socket.write('POST /topics/a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly a little');
    // The body deadline is a timer on the injected clock; once it is set, move time past it.
    await waitUntil(() => clock.pending > timersBefore, () => 'the server never started reading the body');
    clock.advance(10_000);
    await closed;
    expect(received()).toMatch(/^HTTP\/1.1 408 /);
    expect(jsonBodyOf(received())).toEqual({ code: 'request_timeout', error: 'expected the whole body within 10 s, got 13 bytes by then' });
    expect(await server.server.log.lastId()).toBeNull();
    expect((await rawRequest(`${server.url}/health`)).status).toBe(200);
  });

  it('never cuts an event stream with the request timeout: SSE outlives it and still delivers', async () => {
    const server = await limitedServer({ headersTimeoutMs: 200, requestTimeoutMs: 300 });
    const stream = await openStream(`${server.url}/events?topics=a`);
    expect(stream.status).toBe(200);
    // Several sweeps of Node's timeout check (every 200 ms here) pass.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(stream.isEnded()).toBe(false);
    await server.publisher.publish({ type: 'notify', data: { topic: 'a', time: 1, body: 'still here', priority: 3, tags: [] } });
    const [message] = await stream.waitFor(1);
    expect(JSON.parse(message!.data)).toMatchObject({ body: 'still here' });
  });
});

describe('subscribers', () => {
  it('refuses a client past its stream limit with 429 and Retry-After, and frees the slot when a stream closes', async () => {
    const server = await limitedServer({ maxSubscribersPerClient: 2, limitLoopbackSubscribers: true });
    const first = await openStream(`${server.url}/events?topics=a`);
    await openStream(`${server.url}/events?topics=b`);
    const third = await rawRequest(`${server.url}/events?topics=c`, { headers: { Accept: 'text/event-stream' } });
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('5');
    expect(third.body).toEqual({ code: 'too_many', error: expect.stringContaining('at most 2 open event streams from one client') });
    first.close();
    await waitUntil(() => server.hub.size === 1, () => `the server still holds ${server.hub.size} streams`);
    expect((await openStream(`${server.url}/events?topics=c`)).status).toBe(200);
  });

  it('refuses any client once the server holds its total of streams, with 503 and Retry-After', async () => {
    const server = await limitedServer({ maxSubscribers: 3 });
    for (const topic of ['a', 'b', 'c']) expect((await openStream(`${server.url}/events?topics=${topic}`)).status).toBe(200);
    const full = await rawRequest(`${server.url}/events?topics=d`, { headers: { Accept: 'text/event-stream' } });
    expect(full.status).toBe(503);
    expect(full.headers['retry-after']).toBe('5');
    expect(full.body).toEqual({ code: 'unavailable', error: expect.stringContaining('fewer than 3 open event streams on this server, got 3') });
    expect((await rawRequest(`${server.url}/health`)).status).toBe(200);
  });

  it('lets loopback clients past the per-client limit by default (the desktop app and local scripts share 127.0.0.1)', async () => {
    const server = await testServer();
    const streams = await Promise.all(Array.from({ length: 110 }, (_, i) => openStream(`${server.url}/events?topics=t${i}`)));
    expect(streams.every((s) => s.status === 200)).toBe(true);
    await waitUntil(() => server.server.hub.size === 110, () => `expected 110 subscribers, got ${server.server.hub.size}`);
  });
});
