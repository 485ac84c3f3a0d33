// The desktop core and `herald watch` following an ntfy-protocol stream served by
// Herald's own ntfy-compatible API (`herald serve` as a real process, on a port of its
// own so it can come back at the same URL). Messages are published the ntfy way
// (PUT /<topic> with ntfy's headers); the subscription is the ntfy JSON stream.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { freePort } from './support/free-port.ts';
import { waitUntil } from './support/herald-test-server.ts';
import { bodies, describeState, liveState, memoryResumePoints, runCleanups, subscription, watch } from './support/subscription-watch.ts';
import { killAllHerald, spawnHerald } from './watch-support.ts';

const TOKEN = 'ntfy-follow-token';
const children: HeraldChild[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await runCleanups();
  await killAllHerald();
  for (const child of children.splice(0)) await child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function serve(port: number, dataDir: string): Promise<HeraldChild> {
  const child = await startHeraldChild(['--port', String(port), '--data-dir', dataDir, '--token', TOKEN]);
  children.push(child);
  return child;
}

/** Publish as ntfy's clients do: PUT /<topic>, the message as the body, ntfy's headers. */
async function ntfyPublish(url: string, topic: string, message: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${url}/${topic}`, { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, ...headers }, body: message });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

it("follows Herald's own ntfy stream through a SIGKILL and restart of the server: nothing lost, nothing twice", async () => {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-ntfy-follow-'));
  dirs.push(dataDir);
  const first = await serve(port, dataDir);
  const resumePoints = memoryResumePoints();
  // ntfy clients send user:pass; Herald takes its token as the password.
  const w = watch([subscription(first.url, ['deploy', 'backups'], { kind: 'ntfy', username: 'phil', token: TOKEN })], { resumePoints });
  await waitUntil(liveState(w), describeState(w));

  const seen = [await ntfyPublish(first.url, 'deploy', 'one', { Title: 'Deployed', Tags: 'rocket,prod', Priority: 'high', Click: 'https://ci.example/1' })];
  seen.push(await ntfyPublish(first.url, 'backups', 'two'));
  await waitUntil(() => w.events.length === 2, describeState(w));
  expect(w.events[0]?.event).toEqual({
    id: seen[0],
    type: 'notify',
    data: { topic: 'deploy', time: expect.any(Number), title: 'Deployed', body: 'one', priority: 4, tags: ['rocket', 'prod'], click: 'https://ci.example/1' },
  });
  // Acknowledged, then the server is killed at once: these may or may not have reached the client.
  seen.push(await ntfyPublish(first.url, 'deploy', 'three'), await ntfyPublish(first.url, 'backups', 'four'));
  expect(await first.kill('SIGKILL')).toBe('SIGKILL');
  await waitUntil(() => w.snapshot().connection.kind === 'reconnecting', describeState(w));

  const second = await serve(port, dataDir);
  expect(second.url).toBe(first.url);
  seen.push(await ntfyPublish(second.url, 'deploy', 'five'));
  // The backoff's wait, on the test's clock (it may take a few tries while the port settles).
  await waitUntil(() => {
    const c = w.snapshot().connection;
    if (c.kind === 'reconnecting') w.clock.advance(c.retryAt - w.clock.now());
    return w.events.length >= 5;
  }, describeState(w), 15_000);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(bodies(w)).toEqual(['one', 'two', 'three', 'four', 'five']);
  expect(w.events.map(({ event }) => event.id)).toEqual(seen);
  expect(resumePoints.load('local')).toBe(seen[4]);
  expect(w.problems).toEqual([]);
});

it("herald watch --kind ntfy prints what Herald's ntfy API publishes, with the token as Bearer", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-ntfy-watch-'));
  dirs.push(dataDir);
  const server = await serve(await freePort(), dataDir);
  const watcher = spawnHerald(['watch', server.url, '--kind', 'ntfy', '--topics', 'a,b', '--token', TOKEN], { TZ: 'UTC' });
  await watcher.waitForLine('stderr', (l) => l.startsWith('-- live'));
  await ntfyPublish(server.url, 'a', 'Disk full on db1', { Title: 'Disk', Tags: 'warning', Priority: '5' });
  await ntfyPublish(server.url, 'b', 'nightly done');
  await ntfyPublish(server.url, 'c', 'not watched');
  await watcher.waitForLine('stdout', (l) => l.includes('nightly done'));
  expect(watcher.stdout.filter((l) => l !== '').map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual(['notify  a  ⚠️ Disk: Disk full on db1', 'notify  b  nightly done']);
  expect(watcher.stderr.filter((l) => l !== '')).toEqual([`-- connecting to ${server.url} (a, b)`, '-- live: a, b']);
});
