// Jobs and probes as real processes under a real `herald serve` (bin/herald.js with a
// config file): shutdown ends promptly and leaves no job process behind, durations
// past setTimeout's 24.8-day limit do not fire early, and the server's token stays
// out of what probes run.

import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeraldConfig } from '../server/config/config-types.ts';
import { startHeraldServe, type ServeProcess } from './support/herald-cli.ts';
import { openEventSource, rawRequest, waitUntil, type EventSourceClient } from './support/herald-test-server.ts';
import { killIfAlive, readPidFile, waitUntilGone } from './support/processes.ts';

let dir: string;
let serve: ServeProcess | undefined;
const clients: EventSourceClient[] = [];
const strays: number[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-processes-'));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await serve?.stop();
  serve = undefined;
  for (const pid of strays.splice(0)) killIfAlive(pid);
  await rm(dir, { recursive: true, force: true });
});

async function serveWith(config: HeraldConfig, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const file = join(dir, 'herald.json');
  await writeFile(file, JSON.stringify(config));
  serve = await startHeraldServe(['--data-dir', join(dir, 'data'), '--config', file], env);
  return serve;
}

/** SIGTERM, and the exit code, or a rejection naming what is still running after `ms`. */
async function terminate(process: ServeProcess, ms: number): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => process.child.once('exit', (code) => resolve(code)));
  process.child.kill('SIGTERM');
  return Promise.race([
    exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`herald serve still ran ${ms} ms after SIGTERM: ${process.output()}`)), ms)),
  ]);
}

describe('herald serve shutdown', () => {
  it('kills a running job\'s child that ignores SIGTERM, after the grace time, before it exits', async () => {
    const pidFile = join(dir, 'job.pid');
    const server = await serveWith({
      system: { enabled: false },
      jobs: { stubborn: { command: `sh -c 'trap "" TERM; echo $$ > ${pidFile}; exec sleep 300' & wait` } },
    });
    expect((await rawRequest(`${server.url}/jobs/stubborn/runs`, { method: 'POST' })).status).toBe(201);
    const pid = await readPidFile(pidFile);
    strays.push(pid);
    // The grace time is 5 s; the bound leaves room for a loaded machine.
    expect(await terminate(server, 20_000)).toBe(0);
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it('is not held up by a command probe whose detached child (setsid) holds its stdout', async () => {
    const pidFile = join(dir, 'probe.pid');
    const server = await serveWith({
      system: { enabled: false },
      // The child writes its pid once it has left the group (setsid runs sh after setsid(2)).
      probes: { stuck: { command: `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 304' & exec sleep 300`, timeoutSec: 60 } },
    });
    // The check is under way, and its detached child out of the group's reach.
    strays.push(await readPidFile(pidFile));
    expect(await terminate(server, 10_000)).toBe(0);
  });
});

describe('durations past 24.8 days under herald serve', () => {
  it('neither runs an "every 30d" job, times out a 3,000,000 s run, nor repeats a probe or a sample early', async () => {
    const server = await serveWith({
      system: { intervalSec: 3_000_000, deadBand: 0 },
      jobs: {
        monthly: { command: 'true', schedule: 'every 30d' },
        long: { command: 'sleep 30', timeoutSec: 3_000_000 },
      },
      // A new value at every check, so every check would be an update.
      probes: { clock: { command: 'date +%s%N', everySec: 3_000_000 } },
    });
    const started = await rawRequest(`${server.url}/jobs/long/runs`, { method: 'POST' });
    expect(started.status).toBe(201);
    const client = openEventSource(`${server.url}/events?topics=probe/clock,system&since=all`);
    clients.push(client);
    // The first check comes a second after start; then nothing for 3,000,000 s.
    await client.waitFor(1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(client.events.map((e) => e.data.topic)).toEqual(['probe/clock']);
    const jobs = (await rawRequest(`${server.url}/jobs`)).body as { name: string; lastRun: { run: string; state: string } | null }[];
    expect(jobs.map((j) => [j.name, j.lastRun?.run ?? null, j.lastRun?.state ?? null])).toEqual([
      ['monthly', null, null],
      ['long', started.body.run, 'running'],
    ]);
  });
});

describe('secrets and command probes under herald serve', () => {
  it('does not hand HERALD_TOKEN to a probe, so it cannot publish it', async () => {
    const token = 'server-secret-token-0123';
    const server = await serveWith({ system: { enabled: false }, probes: { env: { command: 'printenv HERALD_TOKEN || echo "no token"' } } }, { HERALD_TOKEN: token });
    const client = openEventSource(`${server.url}/events?topics=probe/env&since=all`, { Authorization: `Bearer ${token}` });
    clients.push(client);
    await waitUntil(() => client.events.some((e) => e.type === 'update'), () => `no update: ${server.output()}`, 10_000);
    expect(client.events.map((e) => e.data.status?.value)).toEqual(['no token']);
  });
});
