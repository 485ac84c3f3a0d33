// Several `herald serve --redis` processes over one real redis-server (docs/scaling.md):
// publish anywhere, receive everywhere; resume on any instance; survive an instance's
// death behind a balancer and a Redis restart without losing what was accepted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { HERALD_BIN, startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { openEventSource, openRawStream, rawRequest, waitUntil, type EventSourceClient } from './support/herald-test-server.ts';
import { startRedisServer, type RedisServerProcess } from './support/redis-server.ts';
import { startFailoverBalancer, type FailoverBalancer } from './support/tcp-failover.ts';

let redis: RedisServerProcess;
let dir: string;
let a: HeraldChild;
let b: HeraldChild;
let c: HeraldChild;
const clients: EventSourceClient[] = [];
let balancer: FailoverBalancer | undefined;

async function serve(name: string, extra: string[] = []): Promise<HeraldChild> {
  const config = join(dir, `${name}.json`);
  await writeFile(config, JSON.stringify({ system: { enabled: false } }));
  return startHeraldChild(
    ['--port', '0', '--data-dir', join(dir, name), '--config', config, '--redis', redis.url, '--retry-ms', '100', ...extra],
    15_000,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cluster-'));
  // Persistent, so that "Redis restarted" does not also mean "Redis forgot".
  redis = await startRedisServer({ persistent: true });
  [a, b, c] = await Promise.all([serve('a'), serve('b'), serve('c', ['--heartbeat-sec', '0.2'])]);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await balancer?.close();
  await Promise.all([a, b, c].map((child) => child?.kill('SIGKILL')));
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

function subscribe(url: string): EventSourceClient {
  const client = openEventSource(url);
  clients.push(client);
  return client;
}

async function publish(url: string, topic: string, body: string): Promise<string> {
  const answer = await rawRequest(`${url}/topics/${topic}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
  if (answer.status !== 201) throw new Error(`publish to ${url} answered ${answer.status}: ${answer.text}`);
  return answer.body.id as string;
}

/** Publish, retrying while the instance answers 503 (Redis still reconnecting). */
async function publishOnceAvailable(url: string, topic: string, body: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await rawRequest(`${url}/topics/${topic}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
    if (answer.status === 201) return answer.body.id as string;
    if (answer.status !== 503 || Date.now() > deadline) {
      throw new Error(`publish to ${url} answered ${answer.status}: ${answer.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function portOf(child: HeraldChild): number {
  return Number(new URL(child.url).port);
}

describe('one deployment, three instances', () => {
  it('delivers what is published on any instance to subscribers on every instance, in order, once', async () => {
    const onB = subscribe(`${b.url}/events?topics=deploy/*`);
    const onC = subscribe(`${c.url}/events?topics=deploy/**`);
    await waitUntil(() => onB.opens === 1 && onC.opens === 1, () => 'both streams to open');
    const published: string[] = [];
    for (let i = 0; i < 20; i++) {
      // Mostly on A, some on B: one order, the stream's, whoever accepted them.
      published.push(await publish(i % 4 === 3 ? b.url : a.url, `deploy/${i % 2 === 0 ? 'web' : 'api'}`, `step ${i}`));
    }
    expect((await onB.waitFor(20)).map((event) => event.id)).toEqual(published);
    expect((await onC.waitFor(20)).map((event) => event.id)).toEqual(published);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onB.events).toHaveLength(20);
    expect(onC.events).toHaveLength(20);
    expect(onC.events.map((event) => event.data.body)).toEqual(published.map((_, i) => `step ${i}`));
  });

  it('resumes a client on B from an id it was given by A', async () => {
    const onA = await openRawStream(`${a.url}/events?topics=resume`);
    const first = await publish(c.url, 'resume', 'one');
    await onA.waitFor(1);
    const lastSeen = onA.messages[0]?.id;
    onA.close();
    expect(lastSeen).toBe(first);
    const missed = [await publish(a.url, 'resume', 'two'), await publish(c.url, 'resume', 'three')];
    const onB = await openRawStream(`${b.url}/events?topics=resume`, { 'Last-Event-ID': lastSeen ?? '' });
    await onB.waitFor(2);
    const live = await publish(b.url, 'resume', 'four');
    await onB.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    onB.close();
    expect(onB.messages.map((message) => message.id)).toEqual([...missed, live]);
    expect(onB.messages.map((message) => JSON.parse(message.data).body)).toEqual(['two', 'three', 'four']);
  });

  it('moves a client behind a balancer from a killed instance to the next, losing nothing', async () => {
    balancer = await startFailoverBalancer([portOf(a), portOf(b)]);
    const client = subscribe(`${balancer.url}/events?topics=ci/*`);
    await waitUntil(() => client.opens === 1, () => 'the stream to open through the balancer');
    expect(balancer.routed.get(portOf(a))).toBe(1);
    const published: string[] = [];
    let killed = false;
    for (let i = 0; i < 40; i++) {
      published.push(await publish(c.url, 'ci/build', `line ${i}`));
      if (i === 15) {
        await client.waitFor(10);
        await a.kill('SIGKILL');
        killed = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(killed).toBe(true);
    await client.waitFor(40, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.opens).toBe(2);
    expect(balancer.routed.get(portOf(b))).toBe(1);
    expect(client.events.map((event) => event.id)).toEqual(published);
  });

  it('answers 503 while Redis is down, keeps streams open, and loses nothing it accepted', async () => {
    const onB = subscribe(`${b.url}/events?topics=ops`);
    // Opening reads the topic's state and backlog from Redis; on a loaded machine that
    // can miss its 2 s deadline: answered 503 with Retry-After before the headers, or
    // closed after them (the client resumes by id). Either way a client opens again,
    // and so does this test, until the stream answers and sends a first heartbeat.
    const openLive = async () => {
      const stream = await openRawStream(`${c.url}/events?topics=ops`);
      if (stream.status !== 200) return stream;
      await waitUntil(() => stream.comments.length > 0 || stream.isEnded(), () => 'a first heartbeat or the end of the stream on C');
      return stream;
    };
    const openUntilLive = async () => {
      let stream = await openLive();
      for (let attempt = 1; (stream.status === 503 || stream.isEnded()) && attempt < 5; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        stream = await openLive();
      }
      expect(stream.status).toBe(200);
      return stream;
    };
    await waitUntil(() => onB.opens === 1, () => 'the stream on B to open');
    let heartbeats = await openUntilLive();
    // Its first heartbeat can come while the stream still reads from Redis, and a read
    // past its deadline then closes it: it is live once an event published now reaches
    // it. If it closed instead, open it again, as a client would.
    const accepted: string[] = [];
    for (let attempt = 1; ; attempt++) {
      accepted.push(await publish(c.url, 'ops', `before ${attempt}`));
      await waitUntil(() => heartbeats.messages.length > 0 || heartbeats.isEnded(), () => 'the event on C or the end of its stream');
      if (!heartbeats.isEnded() || attempt === 5) break;
      heartbeats = await openUntilLive();
    }
    await onB.waitFor(accepted.length);

    // The stream on C is live before the outage begins.
    expect(
      heartbeats.isEnded(),
      `the stream on C ended before the outage; it got ${JSON.stringify(heartbeats.messages)} and ${heartbeats.comments.length} comments; C stderr: ${c.stderr().slice(-2000)}`,
    ).toBe(false);
    await redis.kill();
    const refused = await rawRequest(`${b.url}/topics/ops`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'during' });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.code).toBe('unavailable');
    const commentsBefore = heartbeats.comments.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // The streams stay up through the outage: heartbeats keep coming, no reconnection.
    await waitUntil(
      () => heartbeats.comments.length >= commentsBefore + 2,
      // What a failure needs to be understood: did the stream end, is C still running, what did it say.
      () =>
        `heartbeats during the outage, got ${heartbeats.comments.length - commentsBefore}; stream ended: ${heartbeats.isEnded()}; ` +
        `C exit: ${c.process.exitCode ?? c.process.signalCode ?? 'running'}; C stderr: ${c.stderr().slice(-2000)}`,
    );
    expect(heartbeats.isEnded()).toBe(false);
    expect(onB.errors).toBe(0);

    await redis.start();
    accepted.push(await publishOnceAvailable(c.url, 'ops', 'after-1'));
    accepted.push(await publishOnceAvailable(b.url, 'ops', 'after-2'));
    await onB.waitFor(3, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    heartbeats.close();
    expect(onB.events.map((event) => event.id)).toEqual(accepted);
    expect(onB.opens).toBe(1);
  });
});

describe('start-up without Redis', () => {
  it('refuses to serve, naming the Redis URL without its password and the cause', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const result = spawnSync(
      process.execPath,
      [HERALD_BIN, 'serve', '--port', '0', '--data-dir', join(dir, 'refused'), '--redis', `redis://herald:s3cret@127.0.0.1:${port}/2`],
      { encoding: 'utf8', timeout: 15_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toMatch(new RegExp(`^herald serve: cannot connect to Redis at redis://127\\.0\\.0\\.1:${port}/2: .*ECONNREFUSED`));
    expect(result.stderr).not.toContain('s3cret');
  });
});
