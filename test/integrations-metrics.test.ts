// GET /metrics on a real server, parsed by a Prometheus text-format parser
// (test/support/prometheus-text.ts): the values move with publishes, streams,
// replays, slow subscribers and Redis; the route is protected like the others.
// test/prometheus-peer.test.ts has a real Prometheus scrape it.

import { createRequire } from 'node:module';
import { networkInterfaces } from 'node:os';
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationsPlugin } from '../server/integrations/index.ts';
import type { HeraldServerOptions } from '../server/plugin.ts';
import { openEventSource, startTestServer, waitUntil, type TestServer } from './support/herald-test-server.ts';
import { startRedisServer } from './support/redis-server.ts';
import { scrape } from './support/prometheus-text.ts';
import { fixture, postHook } from './support/webhooks.ts';

const TOKEN = 'metrics-test-token-7';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Partial<HeraldServerOptions> = {}): Promise<TestServer> {
  const server = await startTestServer({ plugins: [integrationsPlugin()], ...options });
  cleanups.push(() => server.close());
  return server;
}

/** Whether prom-client's own files are loaded in this process (this file never imports it). */
function promClientLoaded(): boolean {
  return Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/prom-client/'));
}

describe('prom-client is loaded by the first scrape, not at start-up', () => {
  it('a server never scraped has not loaded it; webhook requests before the first scrape are counted', async () => {
    const s = await start();
    expect((await postHook(s.url, '/hooks/alertmanager', fixture('alertmanager/firing.json'))).status).toBe(200);
    expect((await postHook(s.url, '/hooks/alertmanager', fixture('alertmanager/firing.json'))).status).toBe(200);
    expect(promClientLoaded()).toBe(false);

    const first = await scrape(s.url);
    expect(promClientLoaded()).toBe(true);
    expect(first.value('herald_webhook_requests_total', { hook: 'alertmanager', result: 'published' })).toBe(1);
    expect(first.value('herald_webhook_requests_total', { hook: 'alertmanager', result: 'unchanged' })).toBe(1);
    expect(first.value('herald_publishes_total', { source: 'alertmanager' })).toBe(3);
  });
});

describe('the metrics move with what the server does', () => {
  it('publishes by source, open streams, deliveries, replays and append latency', async () => {
    const s = await start();
    const before = await scrape(s.url);
    expect(before.value('herald_open_streams')).toBe(0);
    expect(before.value('herald_publishes_total', { source: 'http' })).toBe(0);
    expect(before.family('herald_publishes_total').type).toBe('COUNTER');

    const live = openEventSource(`${s.url}/events?topics=metrics/*`);
    cleanups.push(() => live.close());
    await waitUntil(() => live.opens > 0, () => 'the stream did not open');
    for (let i = 0; i < 3; i++) expect((await s.publish('metrics/a', `message ${i}`)).status).toBe(201);
    expect((await s.publish('metrics/s', { status: { up: true } })).status).toBe(201);
    expect((await s.publish('metrics/s', { status: { up: true } })).status).toBe(200);
    expect((await postHook(s.url, '/hooks/alertmanager', fixture('alertmanager/firing.json'))).status).toBe(200);
    await live.waitFor(4);

    const during = await scrape(s.url);
    expect(during.value('herald_open_streams')).toBe(1);
    expect(during.value('herald_publishes_total', { source: 'http' })).toBe(4);
    expect(during.value('herald_publishes_total', { source: 'alertmanager' })).toBe(3);
    expect(during.value('herald_updates_unchanged_total')).toBe(1);
    expect(during.value('herald_deliveries_total')).toBe(4);
    expect(during.value('herald_webhook_requests_total', { hook: 'alertmanager', result: 'published' })).toBe(1);
    const append = during.histogram('herald_log_append_seconds');
    // One append per publish, and the Alertmanager batch in one.
    expect(append.count).toBe(5);
    expect(append.buckets['+Inf']).toBe(5);
    expect(append.sum).toBeGreaterThan(0);

    // A client resuming from the start replays the backlog: 7 events.
    const replaying = openEventSource(`${s.url}/events?topics=metrics/**,alertmanager/**&since=all`);
    cleanups.push(() => replaying.close());
    await replaying.waitFor(7);
    live.close();
    await waitUntil(() => s.server.hub.size === 1, () => `${s.server.hub.size} streams open`);
    const after = await scrape(s.url);
    expect(after.value('herald_open_streams')).toBe(1);
    expect(after.value('herald_replays_total')).toBe(1);
    expect(after.value('herald_replayed_events_total')).toBe(7);
    expect(after.histogram('herald_replay_seconds').count).toBe(1);
    expect(after.value('herald_info', { store: 'sqlite' })).toBe(1);
  });

  it('counts the bytes queued for a stalled subscriber, then its drop', async () => {
    const s = await start({ maxQueueBytes: 2 * 1024 * 1024 });
    const stalled: Socket = connect(s.server.port, '127.0.0.1');
    cleanups.push(() => void stalled.destroy());
    stalled.pause();
    stalled.write('GET /events?topics=load HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    await waitUntil(() => s.server.hub.size === 1, () => 'the stalled stream did not open');
    const body = 'x'.repeat(60_000);
    let queued = 0;
    let published = 0;
    // Bounded: kernel buffers take a few MB, the queue 2 MiB more.
    while (s.server.hub.overflowDrops === 0 && published < 400) {
      await Promise.all(Array.from({ length: 5 }, () => s.server.publisher.publish({ type: 'notify', data: { topic: 'load', time: Date.now(), body, priority: 3, tags: [] } })));
      published += 5;
      if (queued === 0 && s.server.hub.queuedBytes() > 0) queued = (await scrape(s.url)).value('herald_queued_bytes');
    }
    expect(queued).toBeGreaterThan(0);
    const after = await scrape(s.url);
    expect(after.value('herald_slow_subscribers_dropped_total')).toBe(1);
    expect(after.value('herald_queued_bytes')).toBe(0);
    expect(after.value('herald_publishes_total', { source: 'internal' })).toBe(published);
  });

  it('reports whether Redis is up, when the log is on Redis', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const s = await start({ redis: { url: redis.url } });
    const up = await scrape(s.url);
    expect(up.value('herald_redis_up')).toBe(1);
    expect(up.value('herald_info', { store: 'redis' })).toBe(1);
    await redis.kill();
    await waitUntil(() => s.server.log.available === false, () => 'the log still says Redis is up', 10_000);
    expect((await scrape(s.url)).value('herald_redis_up')).toBe(0);
  });
});

describe('who may read /metrics', () => {
  it("needs Herald's token on a server that has one", async () => {
    const s = await start({ token: TOKEN });
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    const answer = await fetch(`${s.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('--metrics-open-loopback opens it to this machine only', async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
    const s = await start({ host: outside === undefined ? '127.0.0.1' : '0.0.0.0', token: TOKEN, metricsOpenLoopback: true });
    expect((await fetch(`http://127.0.0.1:${s.server.port}/metrics`)).status).toBe(200);
    // Everything else still needs the token from loopback.
    expect((await fetch(`http://127.0.0.1:${s.server.port}/topics`)).status).toBe(401);
    if (outside === undefined) {
      console.warn('part skipped: no non-loopback IPv4 address to ask from');
      return;
    }
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: outside, port: s.server.port, path: '/metrics', localAddress: outside }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(401);
  });
});
