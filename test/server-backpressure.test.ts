// A subscriber that stops reading must neither slow the others nor hold memory
// without bound: its queue is capped and, past the cap, it is dropped (it would
// resume by id) while every other subscriber keeps receiving every event.

import { afterEach, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import type { NewEvent } from '../server/protocol/events.ts';
import { openRawStream, startTestServer, waitUntil, type RawStream, type TestServer } from './support/herald-test-server.ts';

let server: TestServer | undefined;
let stalled: Socket | undefined;
let healthy: RawStream | undefined;

afterEach(async () => {
  stalled?.destroy();
  healthy?.close();
  await server?.close();
  server = undefined;
});

const BODY = 'x'.repeat(60_000);

function big(i: number): NewEvent {
  return { type: 'notify', data: { topic: 'load', time: Date.now(), body: `${i}:${BODY}`, priority: 3, tags: [] } };
}

it('drops a stalled subscriber once its queue overflows, without delaying or losing events for the others', async () => {
  const maxQueueBytes = 256 * 1024;
  server = await startTestServer({ maxQueueBytes, retention: { maxEventsPerTopic: 10_000 } });
  const { hub, publisher } = server.server;

  // A raw client that sends the request and then never reads a byte.
  stalled = connect(server.server.port, '127.0.0.1');
  stalled.pause();
  stalled.write('GET /events?topics=load HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
  healthy = await openRawStream(`${server.url}/events?topics=load`);
  await waitUntil(() => hub.size === 2, () => `expected 2 subscribers, got ${hub.size}`);

  // Publish in rounds; after each round the healthy reader must already have it,
  // including rounds published while the stalled one is still connected.
  let published = 0;
  let roundsWhileStalledConnected = 0;
  for (let round = 0; round < 40 && hub.overflowDrops === 0; round++) {
    const stalledStillThere = hub.size === 2;
    await Promise.all(Array.from({ length: 10 }, () => publisher.publish(big(published++))));
    await healthy.waitFor(published);
    if (stalledStillThere) roundsWhileStalledConnected++;
  }

  expect(hub.overflowDrops).toBe(1);
  await waitUntil(() => hub.size === 1, () => `expected the stalled subscriber removed, ${hub.size} left`);
  expect(roundsWhileStalledConnected).toBeGreaterThan(1);
  // Kernel buffers absorb some megabytes first; the drop must come soon after the
  // queue passes its cap, not after everything published piled up in memory.
  expect(published).toBeLessThan(400);
  const more = [big(published++), big(published++)];
  for (const event of more) await publisher.publish(event);
  const messages = await healthy.waitFor(published);
  expect(messages.map((m) => Number((JSON.parse(m.data) as { body: string }).body.split(':')[0]))).toEqual(
    Array.from({ length: published }, (_, i) => i),
  );
  expect(healthy.isEnded()).toBe(false);
});
