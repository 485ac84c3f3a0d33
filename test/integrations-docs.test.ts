// The ntfy and Gotify sections of docs/integrations.md, tried against a running
// `herald serve` (real processes: one on loopback without a token, as it starts by
// default, for the examples that send none; one with the page's token,
// change-me-token, for those that send it): every `sh` block is run as written by bash
// and curl, with only the server's address put in, and what it published is read back
// through the ntfy stream. The Home Assistant setups are replayed as Home
// Assistant's RESTful notifier sends them (homeassistant/components/rest/notify.py:
// POST_JSON posts `{message, title, ...data}` as JSON, POST the same as a form).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { rawRequest } from './support/herald-test-server.ts';

const TOKEN = 'change-me-token';
let dir: string;
let herald: HeraldChild;
let open: HeraldChild;
let doc: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-integrations-docs-'));
  doc = await readFile(new URL('../docs/integrations.md', import.meta.url), 'utf8');
  herald = await startHeraldChild(['--port', '0', '--data-dir', join(dir, 'data'), '--token', TOKEN]);
  open = await startHeraldChild(['--port', '0', '--data-dir', join(dir, 'open')]);
});
afterAll(async () => {
  await herald?.kill();
  await open?.kill();
  await rm(dir, { recursive: true, force: true });
});

/** The text of `## name` up to the next `## ` heading. */
function section(name: string): string {
  const start = doc.indexOf(`\n## ${name}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

function shBlocks(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Run a block against the server it is written for: the one with a token when it sends one. */
function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const server = script.includes(TOKEN) ? herald : open;
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    execFile('bash', ['-eo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:8080', server.url)], { env, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Every message kept on `topics`, read through the ntfy API. */
async function messages(topics: string, server = herald): Promise<any[]> {
  const answer = await rawRequest(`${server.url}/${topics}/json?poll=1&since=all`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(answer.status).toBe(200);
  return answer.text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('docs/integrations.md, against herald serve', () => {
  it('runs every ntfy example as written', async () => {
    const blocks = shBlocks(section('ntfy'));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const block of blocks) {
      const run = await bash(block);
      // curl prints its progress meter on stderr when stdout is not a terminal: only the code counts.
      expect({ block, code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ block, code: 0, stderr: '' });
      expect(run.stdout).not.toMatch(/"error"/);
    }
    const mytopic = await messages('mytopic', open);
    expect(mytopic.map((m) => m.message)).toEqual(['Backup successful 😀', 'Movement in the yard', '5.1 GB left on /data', 'Disk space is low']);
    expect((await messages('mytopic')).map((m) => m.message)).toEqual(['with Basic', 'with ?auth=']);
    expect(mytopic[1]).toMatchObject({ title: 'Unauthorized access detected', priority: 5, tags: ['warning', 'skull'], actions: [{ action: 'view', label: 'Open camera', url: 'https://homecam.example/live' }] });
    expect(mytopic[2]).toMatchObject({ title: 'Low disk', priority: 4, tags: ['cd'] });
    expect(mytopic[3]).toMatchObject({ title: 'Low disk', priority: 4, tags: ['warning', 'cd'], click: 'https://nas.example/' });
    const [backup] = await messages('backups');
    expect(backup).toMatchObject({ title: 'Backup', tags: ['floppy_disk'], message: expect.stringMatching(/^Nightly backup of .+ done$/) });
  });

  it('runs the crontab line, for a backup that works and one that fails', async () => {
    const line = /```text\n0 3 \* \* \*\s+(.*)\n```/.exec(section('ntfy'))?.[1];
    expect(line).toContain('/usr/local/bin/backup.sh');
    for (const outcome of ['true', 'false']) {
      const run = await bash(line!.replace('/usr/local/bin/backup.sh', outcome));
      expect(run.code).toBe(0);
    }
    expect((await messages('backups')).slice(-2)).toMatchObject([{ message: 'Backup done' }, { message: 'Backup FAILED', priority: 5, tags: ['rotating_light'] }]);
  });

  it('runs every Gotify example as written', async () => {
    for (const block of shBlocks(section('Gotify'))) {
      const run = await bash(block);
      expect({ block, code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ block, code: 0, stderr: '' });
      expect(run.stdout).toMatch(/"appid":1/);
    }
    expect(await messages('gotify')).toMatchObject([
      { title: 'my title', message: 'my message' },
      { title: 'Backup', message: '**Backup** was successfully finished.', priority: 4, click: 'https://nas.example/', content_type: 'text/markdown' },
    ]);
  });

  it("takes what Home Assistant's RESTful notifier sends for both documented setups", async () => {
    const ntfySetup = section('ntfy');
    for (const line of ['resource: http://<herald-host>:8080/', 'method: POST_JSON', 'title_param_name: title', 'topic: homeassistant', 'priority: 4', 'tags: [house]']) {
      expect(ntfySetup).toContain(line);
    }
    const json = await rawRequest(`${herald.url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ message: 'The front door opened', title: 'Home Assistant', topic: 'homeassistant', priority: 4, tags: ['house'] }),
    });
    expect(json.status).toBe(200);
    expect(await messages('homeassistant')).toMatchObject([{ title: 'Home Assistant', message: 'The front door opened', priority: 4, tags: ['house'] }]);

    const gotifySetup = section('Gotify');
    for (const line of ['resource: http://<herald-host>:8080/message', 'method: POST', 'X-Gotify-Key: !secret herald_token', 'priority: 8']) expect(gotifySetup).toContain(line);
    const form = await rawRequest(`${herald.url}/message`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Gotify-Key': TOKEN },
      body: new URLSearchParams({ message: 'The washing is done', title: 'Home Assistant', priority: '8' }).toString(),
    });
    expect(form.status).toBe(200);
    expect((await messages('gotify')).at(-1)).toMatchObject({ title: 'Home Assistant', message: 'The washing is done', priority: 4 });
  });
});

describe('integrations.gotify.topic in the config file', () => {
  it('sends Gotify messages to that topic on herald serve --config', async () => {
    const config = join(dir, 'herald.json');
    await writeFile(config, JSON.stringify({ system: { enabled: false }, integrations: { gotify: { topic: 'home/alerts' } } }));
    const other = await startHeraldChild(['--port', '0', '--data-dir', join(dir, 'data2'), '--token', TOKEN, '--config', config]);
    try {
      const answer = await rawRequest(`${other.url}/message?token=${TOKEN}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"message": "m"}' });
      expect(answer.status).toBe(200);
      const topics = await rawRequest(`${other.url}/topics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(topics.body.map((t: { topic: string }) => t.topic)).toEqual(['home/alerts']);
    } finally {
      await other.kill();
    }
  });
});
