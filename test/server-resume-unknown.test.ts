// A resume id ahead of everything the log has issued (its data dir was wiped or
// restored from a backup, or the client talks to another server): the stream says so
// with an `unknown-resume-point` gap whose id is the log's start, replays everything
// the log holds and goes live, with the real `eventsource` client, over SQLite and
// over Redis. Before, every new event looked "already seen" and was dropped.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HeraldServerOptions } from '../server/plugin.ts';
import { openEventSource, startTestServer, waitUntil, type EventSourceClient, type TestServer } from './support/herald-test-server.ts';
import { startRedisServer, type RedisServerProcess } from './support/redis-server.ts';

let redis: RedisServerProcess | undefined;
let server: TestServer | undefined;
const clients: EventSourceClient[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  await redis?.stop();
});

function subscribe(path: string, headers: Record<string, string> = {}): EventSourceClient {
  const client = openEventSource(`${server!.url}${path}`, headers);
  clients.push(client);
  return client;
}

async function publish(topic: string, body: string): Promise<string> {
  const answer = await server!.publish(topic, body);
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

const LOGS: Array<{ kind: string; options: () => Partial<HeraldServerOptions>; start: string; farAhead: () => string }> = [
  { kind: 'SQLite', options: () => ({}), start: '0', farAhead: () => '900000' },
  {
    kind: 'Redis',
    options: () => ({ redis: { url: redis!.url, keyPrefix: `unknown${++prefixes}:` } }),
    start: '0-0',
    // A stream id a day ahead of Redis's clock: never issued yet.
    farAhead: () => `${Date.now() + 86_400_000}-0`,
  },
];

describe.each(LOGS)('a resume id ahead of the $kind log', ({ options, start, farAhead }) => {
  it('is answered with an unknown-resume-point gap per pattern, then everything retained, then live events', async () => {
    server = await startTestServer({ heartbeatMs: 0, ...options() });
    const held = [await publish('deploy', 'one'), await publish('job/a', 'two')];
    const resumeId = farAhead();
    const client = subscribe('/events?topics=deploy,job/*', { 'Last-Event-ID': resumeId });
    await client.waitFor(4);
    const live = await publish('job/b', 'three');
    const events = await client.waitFor(5);

    expect(events.slice(0, 2).map((e) => [e.type, e.id, e.data.topic, e.data.reason, e.data.since])).toEqual([
      ['gap', start, 'deploy', 'unknown-resume-point', resumeId],
      ['gap', start, 'job/*', 'unknown-resume-point', resumeId],
    ]);
    expect(events[0]!.data.message).toMatch(/never issued event id .* history of deploy may be incomplete/);
    expect(events.slice(2).map((e) => e.id)).toEqual([...held, live]);
    expect(events.slice(2).map((e) => e.data.body)).toEqual(['one', 'two', 'three']);
    // The client now holds the log's own ids: on its next reconnect it resumes normally.
    expect(client.es.readyState).toBe(1);
  });

  it('takes the log start (the id such a gap carries) as a known resume point: everything, no gap', async () => {
    server = await startTestServer({ heartbeatMs: 0, ...options() });
    const held = [await publish('deploy', 'one'), await publish('deploy', 'two')];
    const client = subscribe('/events?topics=deploy', { 'Last-Event-ID': start });
    await client.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.events.map((e) => [e.type, e.id])).toEqual(held.map((id) => ['notify', id]));
  });

  it('still gets the gap from an empty log, and the first event published after it', async () => {
    server = await startTestServer({ heartbeatMs: 0, ...options() });
    const resumeId = farAhead();
    const client = subscribe('/events?topics=deploy', { 'Last-Event-ID': resumeId });
    await client.waitFor(1);
    expect(client.events[0]).toMatchObject({ type: 'gap', id: start, data: { reason: 'unknown-resume-point', since: resumeId } });
    await waitUntil(() => server!.server.hub.size === 1, () => 'expected the stream to be subscribed');
    const first = await publish('deploy', 'first after the reset');
    const [, event] = await client.waitFor(2);
    expect(event).toMatchObject({ id: first, data: { body: 'first after the reset' } });
  });
});
