// Leader-only work over Redis: with three `herald serve` processes sharing one config
// (and the Redis URL from that config), a scheduled job runs on one instance only,
// and after that instance dies another takes over once its lease expires.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { startRedisServer, type RedisServerProcess } from './support/redis-server.ts';

let redis: RedisServerProcess;
let dir: string;
let runsFile: string;
const children = new Map<string, HeraldChild>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cluster-jobs-'));
  redis = await startRedisServer();
  runsFile = join(dir, 'runs.txt');
  const config = join(dir, 'herald.json');
  await writeFile(
    config,
    JSON.stringify({
      redis: redis.url,
      system: { enabled: false },
      // Each run writes which instance ran it.
      jobs: { tick: { command: `echo "$HERALD_TEST_INSTANCE $HERALD_RUN" >> '${runsFile}'`, schedule: 'every 1s' } },
    }),
  );
  await Promise.all(
    ['a', 'b', 'c'].map(async (name) => {
      const child = await startHeraldChild(
        ['--port', '0', '--data-dir', join(dir, name), '--config', config, '--redis-lease-sec', '2'],
        15_000,
        { ...process.env, HERALD_TEST_INSTANCE: name },
      );
      children.set(name, child);
    }),
  );
});

afterAll(async () => {
  await Promise.all([...children.values()].map((child) => child.kill('SIGKILL')));
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function runs(): Promise<Array<{ instance: string; run: string }>> {
  const text = await readFile(runsFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [instance = '', run = ''] = line.split(' ');
      return { instance, run };
    });
}

/** Resolves with every run so far once there are at least `count`. */
async function waitForRuns(count: number, timeoutMs = 10_000): Promise<Array<{ instance: string; run: string }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await runs();
    if (seen.length >= count) return seen;
    if (Date.now() > deadline) throw new Error(`expected ${count} runs of the job within ${timeoutMs} ms, got ${seen.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('runs a scheduled job on one instance only, and on another once that one dies', async () => {
  const first = await waitForRuns(3);
  const leader = first[0]?.instance ?? '';
  expect(new Set(first.map((entry) => entry.instance))).toEqual(new Set([leader]));

  await children.get(leader)?.kill('SIGKILL');
  children.delete(leader);
  const before = (await runs()).length;
  const seen = await waitForRuns(before + 3);
  const after = seen.slice(before);
  // A run the dying leader had already started may still write its line.
  expect(after.filter((entry) => entry.instance === leader).length).toBeLessThanOrEqual(1);
  const successors = new Set(after.map((entry) => entry.instance).filter((instance) => instance !== leader));
  expect(successors.size).toBe(1);
  // One schedule across the deployment: no run id twice.
  expect(new Set(seen.map((entry) => entry.run)).size).toBe(seen.length);
});
