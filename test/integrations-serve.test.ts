// The integrations as `herald serve` runs them: a real process started with the
// config file's `integrations`, `hooks`, `server.maxHookBodyBytes` and
// `server.metricsOpenLoopback` (or the flag --metrics-open-loopback); a config
// whose hooks do not check out stops start-up naming each problem.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { runHerald } from './support/herald-cli.ts';
import { scrape } from './support/prometheus-text.ts';
import { fixture, postHook } from './support/webhooks.ts';

const TOKEN = 'serve-integrations-token';
let dir: string;
let child: HeraldChild | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-serve-integrations-'));
});
afterEach(async () => {
  await child?.kill();
  child = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function configFile(config: object): Promise<string> {
  const path = join(dir, 'herald.json');
  await writeFile(path, JSON.stringify(config));
  return path;
}

describe('herald serve with integrations in its config file', () => {
  it('serves the hooks it configures, with its body limit, and /metrics to loopback without the token (server.metricsOpenLoopback)', async () => {
    const config = await configFile({
      system: { enabled: false },
      server: { maxHookBodyBytes: 2048, metricsOpenLoopback: true },
      integrations: { alertmanager: { topic: 'prom/{{ labels.alertname }}' } },
      hooks: { deploy: { topic: 'deploy/{{ app }}', title: '{{ app }} deployed', body: '{{ version }}' } },
    });
    child = await startHeraldChild(['--port', '0', '--token', TOKEN, '--data-dir', join(dir, 'data'), '--config', config]);
    const auth = { Authorization: `Bearer ${TOKEN}` };
    expect((await postHook(child.url, '/hooks/deploy', { app: 'shop', version: '1.4.2' }, auth)).body).toEqual({ id: '1', topic: 'deploy/shop' });
    expect((await postHook(child.url, '/hooks/alertmanager', fixture('alertmanager/all-resolved.json'), auth)).body.topics).toEqual(['prom/DiskFull']);
    // server.maxHookBodyBytes is 2048: a 3 KB body is refused.
    const big = Buffer.from(JSON.stringify({ app: 'x', version: 'v'.repeat(3000) }));
    expect((await postHook(child.url, '/hooks/deploy', big, auth)).status).toBe(413);
    const metrics = await scrape(child.url);
    expect(metrics.value('herald_publishes_total', { source: 'hook:deploy' })).toBe(1);
    expect(metrics.value('herald_webhook_requests_total', { hook: 'alertmanager', result: 'unchanged' })).toBe(1);
    expect((await fetch(`${child.url}/topics`)).status).toBe(401);
  });

  it('--metrics-open-loopback opens /metrics to loopback without a config file', async () => {
    child = await startHeraldChild(['--port', '0', '--token', TOKEN, '--data-dir', join(dir, 'data'), '--metrics-open-loopback']);
    expect((await fetch(`${child.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${child.url}/topics`)).status).toBe(401);
  });

  it('refuses to start with hooks that do not check out, listing each problem', async () => {
    const config = await configFile({ hooks: { alertmanager: { topic: 'x' }, bad: { topic: '{{ a', level: 'red' } } });
    const result = await runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--config', config], { timeoutMs: 15_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hooks.alertmanager: the name "alertmanager" is taken by the built-in /hooks/alertmanager');
    expect(result.stderr).toContain('hooks.bad.topic: expected "}}" to close the "{{" at character 1, got the end of the template');
    expect(result.stderr).toContain('hooks.bad.level: expected one of ok, warn, critical, got "red"');
  });
});
