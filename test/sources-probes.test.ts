// A probe publishing through the real server (PublishService, SQLite log, hub, SSE
// to the real eventsource client) against a local HTTP target whose answer changes.
// Time for the hold and margin comes from a manual clock; the network is real.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from './support/manual-clock.ts';
import { Probe } from '../server/sources/probes/probe.ts';
import { openEventSource, startTestServer, waitUntil, type EventSourceClient, type TestServer } from './support/herald-test-server.ts';

let server: TestServer;
let target: Server;
let targetUrl: string;
let price: number | null;
let client: EventSourceClient;

beforeEach(async () => {
  price = 100;
  target = createServer((_req, res) => {
    if (price === null) {
      res.writeHead(503).end('maintenance');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { amount: String(price) } }));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/price`;
  server = await startTestServer();
});

afterEach(async () => {
  client?.close();
  await server.close();
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
});

describe('a probe through the real server', () => {
  it('streams updates only on change and alerts with hysteresis, then recovers from an outage', async () => {
    const clock = new ManualClock();
    const probe = new Probe(
      'btc',
      { http: targetUrl, json: '/data/amount', changePct: 1, above: [110, 120], holdSec: 20, marginPct: 5 },
      { publisher: server.server.publisher, clock, log: () => {} },
    );
    client = openEventSource(`${server.url}/events?topics=probe/btc`);
    await waitUntil(() => server.server.hub.size === 1, () => 'no subscriber');

    // [price, seconds since the previous check]
    const script: [number | null, number][] = [
      [100, 0], [100.5, 10], [115, 10], [116, 10], [115, 10], [107, 10], [100, 10], [null, 10], [null, 10], [101, 10],
    ];
    for (const [value, seconds] of script) {
      price = value;
      clock.advance(seconds * 1000);
      await probe.check();
    }
    await probe.stop();
    await waitUntil(() => client.events.length >= 11, () => JSON.stringify(client.events.map((e) => e.type)));

    const seen = client.events.map((e) =>
      e.type === 'update'
        ? `update ${e.data.status.ok ? e.data.status.value : 'down'} ${e.data.status.level}`
        : `alert ${e.data.metric} ${e.data.previous}->${e.data.level}`,
    );
    expect(seen).toEqual([
      'update 100 ok', // 100.5 is within changePct 1: no update
      'update 115 ok', // past the warn line: the 20 s hold starts
      // 116 is within 1% of 115: no update
      'update 115 warn', // held 20 s: warn
      'alert above ok->warn',
      'update 107 warn', // 107 is inside the 5.5 margin: still warn
      'update 100 ok',
      'alert above warn->ok',
      'update down critical',
      'alert status ok->critical', // the second failed check repeats nothing
      'update 101 ok',
      'alert status critical->ok',
    ]);
    const outage = client.events.find((e) => e.type === 'alert' && e.data.metric === 'status');
    expect(outage?.data.message).toBe(`expected an HTTP 2xx status from ${targetUrl}, got 503`);
    const ids = client.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
