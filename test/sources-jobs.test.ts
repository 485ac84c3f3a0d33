// Jobs through a real server: POST /jobs/:name/runs starts a real child process, its
// events arrive on job/<name>/<run> through the real eventsource client, and an
// ended run's topic answers 204.

import { afterEach, describe, expect, it } from 'vitest';
import type { HeraldConfig } from '../server/config/config-types.ts';
import type { HeraldEvent } from '../server/protocol/events.ts';
import { sourcesPlugin } from '../server/sources/index.ts';
import {
  openEventSource,
  rawRequest,
  startTestServer,
  type EventSourceClient,
  type Received,
  type TestServer,
} from './support/herald-test-server.ts';

let server: TestServer | undefined;
const clients: EventSourceClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
});

async function start(jobs: HeraldConfig['jobs']): Promise<TestServer> {
  server = await startTestServer({
    plugins: [sourcesPlugin({ config: { system: { enabled: false }, jobs }, jobUpdateEveryMs: 0 })],
  });
  return server;
}

async function startRun(name: string): Promise<{ status: number; body: { job: string; run: string; topic: string } }> {
  const answer = await rawRequest(`${server!.url}/jobs/${name}/runs`, { method: 'POST' });
  return { status: answer.status, body: answer.body };
}

/** Every event of `topic` from the start, until its `end`. */
async function follow(topic: string): Promise<Received[]> {
  const client = openEventSource(`${server!.url}/events?topics=${topic}&since=all`);
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no end on ${topic}: ${JSON.stringify(client.events)}`)), 10_000);
    const check = setInterval(() => {
      if (client.events.some((e) => e.type === 'end')) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
  client.close();
  return client.events;
}

describe('jobs over HTTP', () => {
  it('streams ordered progress updates then end with exit code 3, and a later subscribe gets 204', async () => {
    await start({
      // One stream only: the order of lines across stdout and stderr is up to the OS.
      build: { command: "echo 'compiling 1/3'; echo 'compiling 2/3'; echo '::progress 0.9'; echo 'link failed'; exit 3" },
    });
    const started = await startRun('build');
    expect(started.status).toBe(201);
    expect(started.body).toEqual({ job: 'build', run: started.body.run, topic: `job/build/${started.body.run}` });

    const events = await follow(started.body.topic);
    expect(events.map((e) => e.type).at(-1)).toBe('end');
    const updates = events.filter((e) => e.type === 'update').map((e) => e.data.status);
    expect(events.slice(0, -1).every((e) => e.type === 'update')).toBe(true);
    expect(updates.map((s) => s.state)).toEqual(['queued', 'running', 'running', 'running', 'running', 'running', 'failed']);
    expect(updates.map((s) => s.progress)).toEqual([null, null, 1 / 3, 2 / 3, 0.9, 0.9, 0.9].map((p) => (p === null ? p : Math.round(p * 10_000) / 10_000)));
    expect(updates.at(-1)).toMatchObject({ lastLine: 'link failed', exitCode: 3 });
    // Event ids sort in publish order.
    const ids = events.map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
    const end = events.at(-1)!.data;
    expect(end).toMatchObject({ topic: started.body.topic, state: 'failed', exitCode: 3 });
    expect(end.summary).toMatch(/^failed with exit code 3 after (\d+ ms|\d+\.\d s)\ncompiling 1\/3\ncompiling 2\/3\n::progress 0.9\nlink failed$/);

    const later = await rawRequest(`${server!.url}/events?topics=${started.body.topic}`, { headers: { Accept: 'text/event-stream' } });
    expect(later.status).toBe(204);

    const log = await rawRequest(`${server!.url}/jobs/build/runs/${started.body.run}/log`);
    expect(log.status).toBe(200);
    expect(log.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(log.text).toBe('compiling 1/3\ncompiling 2/3\n::progress 0.9\nlink failed\n');
    const info = await rawRequest(`${server!.url}/jobs/build/runs/${started.body.run}`);
    expect(info.body).toMatchObject({ job: 'build', run: started.body.run, state: 'failed', exitCode: 3, trigger: 'api' });
  });

  it('cancels a run with DELETE: it ends cancelled', async () => {
    await start({ long: { command: 'echo started; sleep 30' } });
    const { body } = await startRun('long');
    const client = openEventSource(`${server!.url}/events?topics=${body.topic}&since=all`);
    clients.push(client);
    await client.waitFor(3); // queued, running, lastLine "started"
    const cancelled = await rawRequest(`${server!.url}/jobs/long/runs/${body.run}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(202);
    const events = await follow(body.topic);
    expect(events.at(-1)?.data).toMatchObject({ state: 'cancelled', exitCode: 143 });
    expect(events.filter((e) => e.type === 'update').at(-1)?.data.status.state).toBe('cancelled');
    const again = await rawRequest(`${server!.url}/jobs/long/runs/${body.run}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
    expect(again.body.error).toContain('already ended (cancelled)');
  });

  it('stops a run past timeoutSec: it ends timed-out', async () => {
    await start({ slow: { command: 'sleep 30', timeoutSec: 0.3 } });
    const { body } = await startRun('slow');
    const events = await follow(body.topic);
    expect(events.at(-1)?.data).toMatchObject({ state: 'timed-out', summary: 'timed out after 300 ms' });
  });

  it('refuses an overlapping run with 409, names unknown jobs with 404, and lists jobs', async () => {
    await start({ solo: { command: 'sleep 30', schedule: 'every 1h' } });
    const first = await startRun('solo');
    const second = await rawRequest(`${server!.url}/jobs/solo/runs`, { method: 'POST' });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ code: 'conflict', error: expect.stringContaining(`job "solo" is already running (run ${first.body.run})`) });
    const unknown = await rawRequest(`${server!.url}/jobs/nope/runs`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('no job named "nope"; configured jobs: solo');
    const list = await rawRequest(`${server!.url}/jobs`);
    expect(list.body).toMatchObject([
      { name: 'solo', command: 'sleep 30', schedule: 'every 1h', overlap: false, active: [{ run: first.body.run, state: 'running' }] },
    ]);
    expect(list.body[0].nextRunAt).toBeGreaterThan(Date.now());
  });

  it('ends running jobs as cancelled when the server shuts down', async () => {
    await start({ long: { command: 'sleep 30' } });
    const { body } = await startRun('long');
    const heard: HeraldEvent[] = [];
    server!.server.log.onEvents((events) => heard.push(...events));
    const closing = server!.close();
    server = undefined;
    await closing;
    const ofRun = heard.filter((e) => e.data.topic === body.topic);
    expect(ofRun.slice(-2).map((e) => e.type)).toEqual(['update', 'end']);
    expect(ofRun.at(-2)?.data).toMatchObject({ status: { state: 'cancelled' } });
    expect(heard.at(-1)?.data).toMatchObject({ topic: body.topic, state: 'cancelled', summary: 'cancelled: the server is shutting down' });
  });
});

describe('job run limits over HTTP', () => {
  it('caps runs going at once per job and for the whole server: 429 with Retry-After past either', async () => {
    server = await startTestServer({
      plugins: [
        sourcesPlugin({
          config: {
            system: { enabled: false },
            server: { maxConcurrentJobRuns: 5 },
            jobs: { many: { command: 'sleep 30', overlap: true, maxConcurrentRuns: 3 }, other: { command: 'sleep 30', overlap: true } },
          },
        }),
      ],
    });
    const burst = await Promise.all(Array.from({ length: 10 }, () => rawRequest(`${server!.url}/jobs/many/runs`, { method: 'POST' })));
    expect(burst.map((a) => a.status).sort()).toEqual([201, 201, 201, 429, 429, 429, 429, 429, 429, 429]);
    const refused = burst.find((a) => a.status === 429)!;
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toEqual({ code: 'too_many', error: 'job "many" already has 3 runs going, its limit ("maxConcurrentRuns": 3); retry once one ends' });

    expect((await startRun('other')).status).toBe(201);
    expect((await startRun('other')).status).toBe(201);
    const full = await rawRequest(`${server!.url}/jobs/other/runs`, { method: 'POST' });
    expect(full.status).toBe(429);
    expect(full.body.error).toBe('5 job runs are going, the server\'s limit ("server.maxConcurrentJobRuns": 5); retry once one ends');

    // A run that ends frees its place.
    const first = burst.find((a) => a.status === 201)!.body as { run: string; topic: string };
    expect((await rawRequest(`${server!.url}/jobs/many/runs/${first.run}`, { method: 'DELETE' })).status).toBe(202);
    await follow(first.topic);
    expect((await startRun('many')).status).toBe(201);
  });

  it('applies the publish rate limit to starting and cancelling runs', async () => {
    server = await startTestServer({
      rateLimit: { perSec: 0.01, burst: 2, includeLoopback: true },
      plugins: [sourcesPlugin({ config: { system: { enabled: false }, jobs: { many: { command: 'sleep 30', overlap: true } } } })],
    });
    const first = await startRun('many');
    expect(first.status).toBe(201);
    expect((await rawRequest(`${server!.url}/jobs/many/runs/${first.body.run}`, { method: 'DELETE' })).status).toBe(202);
    const limited = await rawRequest(`${server!.url}/jobs/many/runs`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await rawRequest(`${server!.url}/jobs`)).status).toBe(200);
  });
});
