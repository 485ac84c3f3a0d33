// A small reconnect storm against a real `herald serve`: 200 real `eventsource`
// clients on one topic, the server SIGKILLed and started again on the same port and
// data dir while a retrying publisher publishes 20 events. Nobody tells the clients
// anything: each comes back by itself after the `retry:` the server sent (jittered,
// docs/protocol.md) with `Last-Event-ID`, and must end with every event exactly once,
// in publish order. The benchmark runs the same at 10,000 (bench/scenarios/reconnect-storm.ts).

import { afterEach, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { SoakServer, freePort } from '../bench/soak/soak-server.ts';
import { publishUntilAccepted } from '../bench/load/retrying-publisher.ts';
import { waitUntil } from './support/herald-test-server.ts';

const CLIENTS = 200;
const EVENTS = 20;
const TOPIC = 'storm';

interface StormClient {
  es: EventSource;
  ids: string[];
  bodies: string[];
  opens: number;
}

let server: SoakServer | undefined;
let dataDir: string | undefined;
const clients: StormClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.es.close();
  await server?.kill();
  server = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

function subscribe(url: string): StormClient {
  const client: StormClient = { es: new EventSource(`${url}/events?topics=${TOPIC}`), ids: [], bodies: [], opens: 0 };
  client.es.addEventListener('notify', (event) => {
    client.ids.push(event.lastEventId);
    client.bodies.push((JSON.parse(event.data) as { body: string }).body);
  });
  client.es.addEventListener('open', () => client.opens++);
  clients.push(client);
  return client;
}

function count(check: (client: StormClient) => boolean): number {
  return clients.filter(check).length;
}

it('brings 200 eventsource clients back after a SIGKILL and restart with every missed event exactly once, in order', { timeout: 120_000 }, async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-storm-'));
  server = new SoakServer({ port: await freePort(), dataDir, args: [], began: Date.now() });
  await server.start();
  const url = server.url;

  for (let i = 0; i < CLIENTS; i++) subscribe(url);
  await waitUntil(() => count((c) => c.opens === 1) === CLIENTS, () => `${count((c) => c.opens === 1)} of ${CLIENTS} clients open`, 30_000);
  // One event before the kill: every client has an id to resume from, and is registered.
  const [before] = (await publishUntilAccepted({ url, topic: TOPIC, bodies: ['before'], pauseMs: 50, deadlineMs: 10_000 })).ids;
  await waitUntil(() => count((c) => c.ids.length === 1) === CLIENTS, () => `${count((c) => c.ids.length === 1)} of ${CLIENTS} have the first event`, 30_000);

  await server.kill();
  // Every client notices the cut and starts its own retry cycle.
  await waitUntil(() => count((c) => c.es.readyState === EventSource.CONNECTING) === CLIENTS, () => 'expected every client to be reconnecting', 30_000);

  // The publisher starts while the server is down: its first attempts are refused.
  const bodies = Array.from({ length: EVENTS }, (_, i) => `missed ${i + 1}`);
  const publishing = publishUntilAccepted({ url, topic: TOPIC, bodies, pauseMs: 20, deadlineMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await server.start();
  const published = await publishing;
  expect(published.failures.ECONNREFUSED ?? 0).toBeGreaterThan(0);

  const everything = [before, ...published.ids];
  await waitUntil(() => count((c) => c.opens >= 2) === CLIENTS, () => `${count((c) => c.opens >= 2)} of ${CLIENTS} clients reconnected`, 60_000);
  // Once open, a resumed stream replays at once: missing events by now are lost, not late.
  await waitUntil(
    () => count((c) => c.ids.length >= everything.length) === CLIENTS,
    () => `${count((c) => c.ids.length >= everything.length)} of ${CLIENTS} clients have all ${everything.length} events`,
    15_000,
  );
  // A moment for anything repeated to arrive as well.
  await new Promise((resolve) => setTimeout(resolve, 500));

  // Every client: the same ids, once each, in publish order, and the same messages.
  const wrong = clients.filter((c) => JSON.stringify(c.ids) !== JSON.stringify(everything));
  expect(wrong.map((c) => c.ids), `${wrong.length} clients received other than [${everything.join(',')}]`).toEqual([]);
  for (const client of clients) expect(client.bodies).toEqual(['before', ...bodies]);
  // Each came back by itself, once: the kill cut every stream, and no client needed two tries once the server was up.
  expect(count((c) => c.opens === 2)).toBe(CLIENTS);
});
