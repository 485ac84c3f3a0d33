// `herald watch` through a server crash: the server (a child process) is killed with
// SIGKILL mid-stream and restarted on the same port and data dir while messages keep
// being published. Every message must reach the watcher exactly once, in order.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { freePort, killAllHerald, publishWhenUp, spawnHerald, spawnServer } from './watch-support.ts';

let dataDir = '';
afterEach(async () => {
  await killAllHerald();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('delivers every event exactly once across a killed and restarted server', { timeout: 60_000 }, async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'herald-watch-resume-'));
  const port = await freePort();
  let server = await spawnServer(dataDir, port, ['--retry-ms', '200']);
  const url = server.url;

  const watcher = spawnHerald(['watch', url, '--topics', 'feed', '--json']);
  const parsed = () => watcher.stdout.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { kind: string; type?: string; id?: string; data?: { body?: string }; connection?: { kind: string } });
  await watcher.waitForLine('stdout', (l) => l.includes('"kind":"live"'));

  const published: string[] = [];
  for (let i = 1; i <= 40; i++) {
    if (i === 16) {
      // Mid-stream: some of what was published may not have reached the watcher yet.
      await server.proc.kill('SIGKILL');
      server = await spawnServer(dataDir, port, ['--retry-ms', '200']);
    }
    await publishWhenUp(url, 'feed', { body: `m${i}` });
    published.push(`m${i}`);
  }
  await publishWhenUp(url, 'feed', { event: 'end', state: 'succeeded', exitCode: 0, durationMs: 1, summary: 'all sent' });

  expect(await watcher.exited).toBe(0);
  const events = parsed().filter((line) => line.kind === 'event');
  expect(events.filter((e) => e.type === 'notify').map((e) => e.data?.body)).toEqual(published);
  expect(events.at(-1)?.type).toBe('end');
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  const states = parsed().filter((line) => line.kind === 'state').map((line) => line.connection?.kind);
  expect(states).toContain('reconnecting');
  expect(states.at(-1)).toBe('closed');
});
