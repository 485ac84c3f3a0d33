// Readers that stall during replay: raw sockets ask a real server for a backlog
// larger than the kernel's socket buffers and never read. Replay is flow-controlled
// like live delivery, so each is dropped at the replay deadline (it would resume by
// id) while the server keeps answering /health and a live subscriber keeps receiving.
// The full-size figures (400 readers, RSS, timings) are in bench/stalled-replay-bench.ts.

import { afterEach, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import type { NewEvent } from '../server/protocol/events.ts';
import { openEventSource, rawRequest, startTestServer, waitUntil, type EventSourceClient, type TestServer } from './support/herald-test-server.ts';

let server: TestServer | undefined;
let live: EventSourceClient | undefined;
const stalled: Socket[] = [];

afterEach(async () => {
  for (const socket of stalled.splice(0)) socket.destroy();
  live?.close();
  await server?.close();
  server = undefined;
});

const READERS = 24;
const BACKLOG = 2500;
const BODY = 'x'.repeat(3900);

function big(i: number): NewEvent {
  return { type: 'notify', data: { topic: `r${i % 10}`, time: Date.now(), body: `${i} ${BODY}`, priority: 3, tags: [] } };
}

/** A socket that asks for everything retained and then never reads a byte. */
function stalledReader(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.pause();
  socket.on('error', () => {});
  socket.write(`GET /events?topics=**&since=all HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
  stalled.push(socket);
  return socket;
}

it('drops readers that stall during replay at the deadline, while /health answers and live subscribers receive', { timeout: 60_000 }, async () => {
  server = await startTestServer({ replayTimeoutMs: 1500, heartbeatMs: 0, retention: { maxEventsPerTopic: BACKLOG } });
  const { hub, publisher, port } = server.server;
  // About 10 MB: more than a paused socket's kernel buffers take, so replay must wait.
  for (let i = 0; i < BACKLOG; i += 250) await Promise.all(Array.from({ length: 250 }, (_, j) => publisher.publish(big(i + j))));

  live = openEventSource(`${server.url}/events?topics=live`);
  await waitUntil(() => hub.size === 1, () => `expected the live subscriber, got ${hub.size}`);
  for (let i = 0; i < READERS; i++) stalledReader(port);
  await waitUntil(() => hub.size === READERS + 1 || hub.stalledDrops > 0, () => `expected ${READERS} stalled readers subscribed, got ${hub.size - 1}`, 20_000);

  // While they stall: /health answers and the live subscriber gets every event.
  let sentLive = 0;
  let healthChecks = 0;
  const giveUpAt = Date.now() + 30_000;
  while (hub.size > 1 && Date.now() < giveUpAt) {
    const health = await rawRequest(`${server.url}/health`);
    expect(health.status).toBe(200);
    healthChecks++;
    await publisher.publish({ type: 'notify', data: { topic: 'live', time: Date.now(), body: `live ${sentLive++}`, priority: 3, tags: [] } });
    await live.waitFor(sentLive, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  expect(hub.size).toBe(1);
  expect(hub.stalledDrops).toBe(READERS);
  expect(hub.overflowDrops).toBe(0);
  expect(healthChecks).toBeGreaterThan(1);
  expect(live.events.map((e) => e.data.body)).toEqual(Array.from({ length: sentLive }, (_, i) => `live ${i}`));
  // The server still serves a new subscriber the whole backlog.
  const reader = openEventSource(`${server.url}/events?topics=r0&since=all`);
  try {
    const events = await reader.waitFor(BACKLOG / 10, 20_000);
    expect(events.map((e) => Number(e.data.body.split(' ')[0]))).toEqual(Array.from({ length: BACKLOG / 10 }, (_, i) => i * 10));
  } finally {
    reader.close();
  }
});
