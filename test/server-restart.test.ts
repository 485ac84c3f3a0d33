// `herald serve` as a real process: a SIGKILL loses nothing that was acknowledged
// (the restarted server resumes every client from its last id), and SIGTERM shuts
// down cleanly: streams closed without an `end`, exit code 0.

import { afterEach, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { openRawStream, rawRequest } from './support/herald-test-server.ts';

const children: HeraldChild[] = [];
let dataDir: string | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) await child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function serve(dir: string): Promise<HeraldChild> {
  const child = await startHeraldChild(['--port', '0', '--data-dir', dir]);
  children.push(child);
  return child;
}

async function publish(url: string, topic: string, body: string): Promise<string> {
  const answer = await rawRequest(`${url}/topics/${topic}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

it('resumes a client with nothing lost after the server is SIGKILLed and restarted on the same data dir', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-restart-'));
  const first = await serve(dataDir);
  const stream = await openRawStream(`${first.url}/events?topics=deploy,job/*`);
  const seen = [await publish(first.url, 'deploy', 'one'), await publish(first.url, 'job/a', 'two')];
  await stream.waitFor(2);
  expect(stream.messages.map((m) => m.id)).toEqual(seen);
  // Acknowledged but never delivered to this client: the kill comes right after the 201.
  const unseen = [await publish(first.url, 'job/b', 'three'), await publish(first.url, 'deploy', 'four')];
  stream.close();
  expect(await first.kill('SIGKILL')).toBe('SIGKILL');

  const second = await serve(dataDir);
  const after = await publish(second.url, 'deploy', 'five');
  const resumed = await openRawStream(`${second.url}/events?topics=deploy,job/*`, { 'Last-Event-ID': seen[1]! });
  await resumed.waitFor(3);
  await new Promise((resolve) => setTimeout(resolve, 100));
  resumed.close();
  expect(resumed.messages.map((m) => m.id)).toEqual([...unseen, after]);
  expect(resumed.messages.map((m) => JSON.parse(m.data).body)).toEqual(['three', 'four', 'five']);
  expect(Number(after)).toBeGreaterThan(Number(unseen[1]));
});

it('shuts down on SIGTERM: closes streams without an end event and exits 0', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'herald-term-'));
  const child = await serve(dataDir);
  const stream = await openRawStream(`${child.url}/events?topics=a`);
  await publish(child.url, 'a', 'hello');
  await stream.waitFor(1);
  expect(await child.kill('SIGTERM')).toBe(0);
  await stream.ended;
  expect(stream.messages.map((m) => m.event)).toEqual(['notify']);
  expect(child.stderr()).toBe('');
});
