// A real Prometheus (Debian's package) scraping Herald's /metrics with the token,
// as docs/integrations.md says to set it up: the target is healthy, the values it
// stores follow what Herald did, and a job with a wrong token sees the 401.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsPlugin } from '../server/integrations/index.ts';
import { startTestServer, waitUntil, type TestServer } from './support/herald-test-server.ts';
import { startPrometheus, type Peer } from './support/prometheus-peers.ts';

const TOKEN = 'prometheus-peer-token-5';
let herald: TestServer;
let prometheus: Peer;

beforeAll(async () => {
  herald = await startTestServer({ token: TOKEN, plugins: [integrationsPlugin()] });
  const target = herald.url.replace('http://', '');
  prometheus = await startPrometheus(`
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: herald
    authorization:
      credentials: ${TOKEN}
    static_configs:
      - targets: ['${target}']
  - job_name: herald-wrong-token
    authorization:
      credentials: not-the-token
    static_configs:
      - targets: ['${target}']
`);
}, 30_000);

afterAll(async () => {
  await prometheus?.stop();
  await herald?.close();
});

interface Target {
  labels: { job: string };
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

async function targets(): Promise<Target[]> {
  const body = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
  return body.data.activeTargets;
}

async function query(expr: string): Promise<number | null> {
  const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
    data: { result: Array<{ value: [number, string] }> };
  };
  const first = body.data.result[0];
  return first === undefined ? null : Number(first.value[1]);
}

describe('a live Prometheus scraping Herald', () => {
  it('finds the target up with the token and down (401) without it', async () => {
    let seen: Target[] = [];
    const poll = setInterval(() => void targets().then((t) => (seen = t), () => {}), 200);
    try {
      await waitUntil(
        () => seen.length === 2 && seen.every((t) => t.health !== 'unknown'),
        () => `targets: ${JSON.stringify(seen)} ${prometheus.output().slice(-500)}`,
        20_000,
      );
    } finally {
      clearInterval(poll);
    }
    const byJob = Object.fromEntries(seen.map((t) => [t.labels.job, t]));
    expect(byJob.herald).toMatchObject({ health: 'up', lastError: '' });
    expect(byJob['herald-wrong-token']).toMatchObject({ health: 'down', lastError: expect.stringContaining('401') });
  }, 30_000);

  it('stores the values Herald exposes, and sees them move', async () => {
    for (let i = 0; i < 3; i++) expect((await herald.publish('scraped', `message ${i}`, { Authorization: `Bearer ${TOKEN}` })).status).toBe(201);
    let value: number | null = null;
    const poll = setInterval(() => void query('herald_publishes_total{job="herald",source="http"}').then((v) => (value = v), () => {}), 200);
    try {
      await waitUntil(() => value === 3, () => `herald_publishes_total{source="http"} in Prometheus: ${value}`, 20_000);
    } finally {
      clearInterval(poll);
    }
    expect(await query('herald_open_streams{job="herald"}')).toBe(0);
    expect(await query('herald_log_append_seconds_count{job="herald"}')).toBeGreaterThanOrEqual(3);
  }, 30_000);
});

