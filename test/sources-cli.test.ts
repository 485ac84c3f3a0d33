// The CLI as separate processes against real servers: `herald run` exit codes and
// its topic's end, `herald job run --follow`, `herald serve --config` refusing an
// invalid file, and the system source publishing soon after `herald serve` starts.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourcesPlugin } from '../server/sources/index.ts';
import { runHerald, startHeraldServe, type ServeProcess } from './support/herald-cli.ts';
import { openEventSource, startTestServer, waitUntil, type EventSourceClient, type TestServer } from './support/herald-test-server.ts';

let server: TestServer | undefined;
let serve: ServeProcess | undefined;
let dir: string;
const clients: EventSourceClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-'));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
  await serve?.stop();
  serve = undefined;
  await rm(dir, { recursive: true, force: true });
});

function subscribe(url: string): EventSourceClient {
  const client = openEventSource(url);
  clients.push(client);
  return client;
}

describe('herald run', () => {
  it('exits with the command\'s exit code, and its topic ends with that exit code', async () => {
    server = await startTestServer();
    const result = await runHerald(['run', '--server', server.url, '--', 'sh', '-c', 'echo "half 50%"; echo warning >&2; exit 7']);
    expect(result.code).toBe(7);
    expect(result.stdout).toBe('half 50%\n');
    expect(result.stderr).toBe('warning\n');

    const client = subscribe(`${server.url}/events?topics=run/sh&since=all`);
    await waitUntil(() => client.events.some((e) => e.type === 'end'), () => JSON.stringify(client.events));
    const events = client.events;
    // Updates in between are throttled to one a second, so only the ends are fixed.
    expect(events.map((e) => e.type)).toEqual([...events.slice(0, -1).map(() => 'update'), 'end']);
    expect(events[0]?.data.status).toMatchObject({ state: 'running', command: "sh -c 'echo \"half 50%\"; echo warning >&2; exit 7'" });
    expect(events.at(-2)?.data.status).toMatchObject({ state: 'failed', progress: 0.5, exitCode: 7 });
    expect(events.at(-1)?.data).toMatchObject({ topic: 'run/sh', state: 'failed', exitCode: 7 });
    expect(events.at(-1)?.data.summary).toMatch(/^failed with exit code 7 after (\d+ ms|\d+\.\d s)\n(half 50%\nwarning|warning\nhalf 50%)$/);
  });

  it('reports 128 + the signal when a signal stops the command', async () => {
    server = await startTestServer();
    const result = await runHerald(['run', '--server', server.url, '--topic', 'builds/killed', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(result.code).toBe(143);
    const client = subscribe(`${server.url}/events?topics=builds/killed&since=all`);
    await waitUntil(() => client.events.some((e) => e.type === 'end'), () => JSON.stringify(client.events));
    expect(client.events.at(-1)?.data).toMatchObject({ state: 'failed', exitCode: 143 });
  });

  it('still runs the command and keeps its exit code when the server is unreachable, warning once', async () => {
    const down = await startTestServer();
    const url = down.url;
    await down.close();
    const result = await runHerald(['run', '--server', url, '--', 'sh', '-c', 'echo 1/2; echo 2/2; exit 5']);
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('1/2\n2/2\n');
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('herald run:'));
    expect(warnings).toEqual([`herald run: cannot reach the server at ${url} (ECONNREFUSED); the command runs on, its status is not published`]);
  });

  it('answers 127 for a command that does not exist, and explains usage mistakes', async () => {
    const missing = await runHerald(['run', '--server', 'http://127.0.0.1:9', '--', 'no-such-command-here']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('herald run: command not found: no-such-command-here');
    const usage = await runHerald(['run']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('herald run: expected a command after --');
  });
});

describe('herald job', () => {
  it('starts a configured job, follows it to its end, and exits with its exit code', async () => {
    server = await startTestServer({
      plugins: [sourcesPlugin({ config: { system: { enabled: false }, jobs: { deploy: { command: 'echo "step 1/2"; echo "step 2/2"; exit 4' } } } })],
    });
    const result = await runHerald(['job', 'run', 'deploy', '--follow', '--server', server.url]);
    expect(result.code).toBe(4);
    const [topic, ...summary] = result.stdout.trim().split('\n');
    expect(topic).toMatch(/^job\/deploy\/\d{8}-\d{6}$/);
    expect(summary.join('\n')).toMatch(/^failed with exit code 4 after .*\nstep 1\/2\nstep 2\/2$/);
    expect(result.stderr).toContain('failed 100% step 2/2');

    const list = await runHerald(['job', 'list', '--server', server.url]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`deploy\ton request\t${topic!.split('/')[2]} failed (exit 4)`);
    const unknown = await runHerald(['job', 'run', 'nope', '--server', server.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`herald job: 404 from ${server.url}: no job named "nope"; configured jobs: deploy\n`);
  });
});

describe('herald serve with sources', () => {
  it('refuses an invalid config file, listing every problem', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ jobs: { backup: { command: 42, schedule: 'hourly' } }, probes: { site: { http: 'x', everySec: 0 } }, sytem: {} }));
    const result = await runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--config', file]);
    expect(result.code).toBe(1);
    for (const problem of [
      'jobs.backup.command: expected a string, got 42',
      'jobs.backup.schedule: expected "every <n>s|m|h|d"',
      'probes.site.http: expected an http:// or https:// URL, got "x"',
      'probes.site.everySec: expected a number of at least 0.5, got 0',
      'sytem: unknown key; did you mean "system"?',
    ]) {
      expect(result.stderr).toContain(problem);
    }
    expect(result.stderr).toContain(`config file ${file} is invalid (5 problems)`);
    expect(result.stdout).not.toContain('listening on');
  });

  it('publishes system samples on the system topic within a few seconds of start, without a config', async () => {
    serve = await startHeraldServe(['--data-dir', join(dir, 'data')]);
    const client = subscribe(`${serve.url}/events?topics=system`);
    const [sample] = await client.waitFor(1, 8000);
    expect(sample?.type).toBe('update');
    expect(sample?.data.topic).toBe('system');
    expect(Object.keys(sample?.data.status ?? {}).sort()).toEqual(['cpu', 'disk', 'level', 'load', 'memory', 'thresholds', 'uptimeSec']);
    expect(await serve.stop()).toBe(0);
    serve = undefined;
  });
});
