// A real Alertmanager (Debian's prometheus-alertmanager) delivering to Herald: its
// webhook receiver points at /hooks/alertmanager with Herald's token as its
// http_config credentials, exactly as docs/integrations.md says to set it up.
// Alerts are pushed to Alertmanager through its API v2; Herald's subscribers see
// each fire once (however often Alertmanager repeats the group), then resolve.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsPlugin } from '../server/integrations/index.ts';
import { openEventSource, startTestServer, waitUntil, type EventSourceClient, type TestServer } from './support/herald-test-server.ts';
import { pushAlerts, startAlertmanager, type Peer } from './support/prometheus-peers.ts';
import { storedEvents } from './support/webhooks.ts';

const TOKEN = 'alertmanager-peer-token-1';
let herald: TestServer;
let alertmanager: Peer;
let client: EventSourceClient;
let deliveries = 0;

beforeAll(async () => {
  herald = await startTestServer({ token: TOKEN, plugins: [integrationsPlugin()] });
  // Count what Alertmanager posts, to see its repeats arrive.
  herald.server.http.prependListener('request', (req) => {
    if (req.url === '/hooks/alertmanager') deliveries++;
  });
  alertmanager = await startAlertmanager(`
route:
  receiver: herald
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 2s
receivers:
  - name: herald
    webhook_configs:
      - url: ${herald.url}/hooks/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: ${TOKEN}
`);
  client = openEventSource(`${herald.url}/events?topics=alertmanager/**`, { Authorization: `Bearer ${TOKEN}` });
  await waitUntil(() => client.opens > 0, () => 'the event stream did not open');
}, 30_000);

afterAll(async () => {
  client?.close();
  await alertmanager?.stop();
  await herald?.close();
});

const alert = (instance: string, severity: string, extra: { startsAt?: string; endsAt?: string } = {}) => ({
  labels: { alertname: 'DiskFull', instance, severity, job: 'node' },
  annotations: { summary: `Disk almost full on ${instance}` },
  generatorURL: `http://prometheus.example:9090/graph?g0.expr=disk_used_pct&instance=${instance}`,
  ...extra,
});

describe('a live Alertmanager delivering to Herald', () => {
  it('fires each alert once though Alertmanager repeats the group, then resolves it', async () => {
    await pushAlerts(alertmanager, [alert('db1', 'critical', { startsAt: new Date().toISOString() }), alert('db2', 'warning', { startsAt: new Date().toISOString() })]);
    await client.waitFor(3, 20_000);
    expect(client.events.map((e) => [e.type, e.data.level ?? e.data.status.level])).toEqual([
      ['alert', 'critical'],
      ['alert', 'warn'],
      ['update', 'critical'],
    ]);
    expect(client.events[0]!.data).toMatchObject({ topic: 'alertmanager/DiskFull', message: 'Disk almost full on db1', click: expect.stringContaining('instance=db1') });

    // repeat_interval is 2 s: wait for Alertmanager to send the same group again.
    const before = deliveries;
    await waitUntil(() => deliveries >= before + 2, () => `Alertmanager sent ${deliveries - before} repeats (expected 2): ${alertmanager.output().slice(-500)}`, 20_000);
    expect(await storedEvents(herald.server)).toHaveLength(3);

    await pushAlerts(alertmanager, [alert('db1', 'critical', { endsAt: new Date(Date.now() - 1000).toISOString() })]);
    await client.waitFor(5, 20_000);
    expect(client.events.slice(3).map((e) => [e.type, e.data.level ?? e.data.status.level])).toEqual([
      ['alert', 'ok'],
      ['update', 'warn'],
    ]);
    expect(client.events[3]!.data).toMatchObject({ previous: 'critical', message: 'Resolved: Disk almost full on db1' });
  }, 60_000);
});
