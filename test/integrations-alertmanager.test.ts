// POST /hooks/alertmanager on a real server, fed the notifications a real
// Alertmanager sent (test/fixtures/alertmanager/, captured from Debian's 0.25.0) and
// Grafana's documented webhook body. test/alertmanager-peer.test.ts runs a live
// Alertmanager against it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHeraldServer, type HeraldServer } from '../server/app.ts';
import type { HeraldServerOptions } from '../server/plugin.ts';
import { integrationsPlugin } from '../server/integrations/index.ts';
import type { HeraldConfig } from '../server/config/config-types.ts';
import { openEventSource } from './support/herald-test-server.ts';
import { fixture, fixtureJson, postHook, storedEvents } from './support/webhooks.ts';

const TOKEN = 'am-test-token-123';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(options: Partial<HeraldServerOptions> = {}, config: HeraldConfig = {}, dataDir?: string): Promise<{ server: HeraldServer; dataDir: string }> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'herald-am-')));
  const server = await createHeraldServer({ port: 0, dataDir: dir, onError: () => {}, plugins: [integrationsPlugin({ config })], ...options });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  cleanups.push(async () => {
    await close();
    if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
  });
  return { server: Object.assign(server, { close }), dataDir: dir };
}

const post = (server: HeraldServer, name: string, headers: Record<string, string> = {}) => postHook(server.url, '/hooks/alertmanager', fixture(name), headers);

describe('Alertmanager notifications become alerts, once each', () => {
  it('firing, then one resolved while the other repeats, then all resolved', async () => {
    const { server } = await start();
    const client = openEventSource(`${server.url}/events?topics=alertmanager/**`);
    cleanups.push(async () => client.close());
    await new Promise<void>((resolve) => client.es.addEventListener('open', () => resolve()));

    const first = await post(server, 'alertmanager/firing.json');
    expect(first).toMatchObject({ status: 200, body: { alerts: 2, changed: 2, topics: ['alertmanager/DiskFull'] } });
    const live = await client.waitFor(3);
    expect(live.map((e) => [e.type, e.data.level ?? e.data.status.level, e.data.metric ?? null])).toEqual([
      ['alert', 'critical', '1751650d45bf7d6b'],
      ['alert', 'warn', 'a7cefdeb4102dbc7'],
      ['update', 'critical', null],
    ]);
    expect(live[0]!.data).toMatchObject({
      topic: 'alertmanager/DiskFull',
      previous: 'ok',
      message: 'Disk almost full on db1: /var is 97% full',
      click: 'http://prometheus.example:9090/graph?g0.expr=disk_used_pct+%3E+95&g0.tab=1',
    });
    expect(live[2]!.data.status).toEqual({ level: 'critical', firing: 2, alerts: { '1751650d45bf7d6b': 'critical', a7cefdeb4102dbc7: 'warn' } });

    // Alertmanager repeats a group every repeat_interval: nothing new is stored.
    expect((await post(server, 'alertmanager/firing.json')).body).toMatchObject({ alerts: 2, changed: 0, ids: [] });

    // db1 resolved, db2 repeated in the same notification: only db1 clears.
    expect((await post(server, 'alertmanager/one-resolved.json')).body).toMatchObject({ alerts: 2, changed: 1 });
    const [cleared, status] = (await client.waitFor(5)).slice(3);
    expect(cleared!.data).toMatchObject({ level: 'ok', previous: 'critical', metric: '1751650d45bf7d6b', message: 'Resolved: Disk almost full on db1: /var is 97% full' });
    expect(status!.data.status).toEqual({ level: 'warn', firing: 1, alerts: { a7cefdeb4102dbc7: 'warn' } });

    expect((await post(server, 'alertmanager/all-resolved.json')).body).toMatchObject({ alerts: 1, changed: 1 });
    const last = (await client.waitFor(7)).slice(5);
    expect(last.map((e) => [e.type, e.data.level ?? e.data.status.level])).toEqual([['alert', 'ok'], ['update', 'ok']]);
    // A resolve already seen changes nothing.
    expect((await post(server, 'alertmanager/all-resolved.json')).body).toMatchObject({ changed: 0 });
    expect(await storedEvents(server)).toHaveLength(7);
  });

  it('remembers what fires across a restart: the repeat after it is still not news', async () => {
    const { server, dataDir } = await start({}, {}, await mkdtemp(join(tmpdir(), 'herald-am-restart-')));
    cleanups.unshift(() => rm(dataDir, { recursive: true, force: true }));
    await post(server, 'alertmanager/firing.json');
    await server.close();
    const { server: again } = await start({}, {}, dataDir);
    expect((await post(again, 'alertmanager/firing.json')).body).toMatchObject({ changed: 0 });
    expect((await post(again, 'alertmanager/one-resolved.json')).body).toMatchObject({ changed: 1 });
    expect(await storedEvents(again)).toHaveLength(5);
  });

  it("takes Grafana's webhook contact point body (version 1) the same way", async () => {
    const { server } = await start();
    const answer = await post(server, 'grafana/webhook-firing.json');
    expect(answer.body).toMatchObject({ alerts: 2, changed: 2, topics: ['alertmanager/High-memory-usage', 'alertmanager/High-CPU-usage'] });
    const alerts = (await storedEvents(server)).filter((e) => e.type === 'alert');
    expect(alerts.map((e) => e.data)).toMatchObject([
      { level: 'warn', message: 'This alert was triggered for zone us-1: The system has high memory usage', click: 'https://play.grafana.org/alerting/1afz29v7z/edit' },
      { level: 'warn', metric: 'bc97ff14869b13e3' },
    ]);
  });

  it('names topics by the configured template', async () => {
    const { server } = await start({}, { integrations: { alertmanager: { topic: 'alerts/{{ labels.job }}/{{ labels.instance }}' } } });
    expect((await post(server, 'alertmanager/firing.json')).body.topics).toEqual(['alerts/node/db1-9100', 'alerts/node/db2-9100']);
  });
});

describe('what the route refuses, storing nothing', () => {
  const firing = () => fixtureJson('alertmanager/firing.json');

  it('malformed bodies: 400 saying what was expected', async () => {
    const { server } = await start();
    const cases: Array<[unknown, string]> = [
      ['{"version": "4", "alerts": [', 'expected an Alertmanager webhook body (a JSON object), got invalid JSON'],
      [{ ...firing(), version: '3' }, 'expected an Alertmanager webhook body with "version": "4" (or Grafana\'s "1"), got "version": "3"'],
      [{ ...firing(), alerts: 'none' }, 'expected "alerts" to be an array, got "none"'],
      [{ ...firing(), alerts: [firing().alerts[0], { ...firing().alerts[1], status: 'pending' }] }, 'alerts[1].status: expected "firing" or "resolved", got "pending"'],
      [{ ...firing(), alerts: [firing().alerts[0], { ...firing().alerts[1], labels: { alertname: 7 } }] }, 'alerts[1].labels.alertname: expected a string, got 7'],
      [{ ...firing(), alerts: [firing().alerts[0], { ...firing().alerts[1], labels: {} }] }, 'alerts[1]: expected values for the topic template "alertmanager/{{ labels.alertname }}", but it has no labels.alertname'],
    ];
    for (const [body, message] of cases) {
      const answer = await postHook(server.url, '/hooks/alertmanager', typeof body === 'string' ? body : JSON.stringify(body));
      expect(answer.status, message).toBe(400);
      expect(answer.body.error).toContain(message);
    }
    // The first alert of each bad batch was fine: the batch is stored whole or not at all.
    expect(await storedEvents(server)).toEqual([]);
  });

  it('a body over the limit: 413', async () => {
    const { server } = await start({ maxHookBodyBytes: 1024 });
    const answer = await post(server, 'alertmanager/firing.json');
    expect(answer.status).toBe(413);
    expect(answer.body.error).toBe('expected a body of at most 1024 bytes, got 1052 bytes');
  });

  it("without Herald's token: 401; with it, as Alertmanager's http_config sends it: 200", async () => {
    const { server } = await start({ token: TOKEN });
    expect((await post(server, 'alertmanager/firing.json')).status).toBe(401);
    expect((await post(server, 'alertmanager/firing.json', { Authorization: 'Bearer wrong-token-000' })).status).toBe(401);
    expect(await storedEvents(server)).toEqual([]);
    expect((await post(server, 'alertmanager/firing.json', { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('past the publish rate limit: 429 with Retry-After', async () => {
    const { server } = await start({ rateLimit: { perSec: 0.01, burst: 1, includeLoopback: true } });
    expect((await post(server, 'alertmanager/firing.json')).status).toBe(200);
    const limited = await post(server, 'alertmanager/all-resolved.json');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await storedEvents(server)).toHaveLength(3);
  });
});
