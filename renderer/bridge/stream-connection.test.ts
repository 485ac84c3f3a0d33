// The dashboard's one SSE connection, against a real server on port 0 with the real
// `eventsource` client standing in for the browser's EventSource (same standard).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../main/ipc/bridge.ts';
import { createHeraldServer, type HeraldServer } from '../../server/app.ts';
import { dashboardPlugin } from '../../server/http/routes/dashboard.ts';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { waitUntil } from '../../test/support/herald-test-server.ts';
import { type ConnectionTimers, type EventSourceLike, StreamConnection } from './stream-connection.ts';

const timers: ConnectionTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-stream-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(dataDir: string, options: { port?: number; token?: string } = {}): Promise<HeraldServer> {
  const server = await createHeraldServer({ port: options.port ?? 0, dataDir, onError: () => {}, ...(options.token ? { token: options.token } : {}) });
  cleanups.push(() => server.close());
  return server;
}

async function publish(server: HeraldServer, topic: string, body: string): Promise<void> {
  const response = await fetch(`${server.url}/topics/${topic}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
  expect(response.status).toBe(201);
}

function connect(server: { url: string }, options: { headers?: Record<string, string> } = {}) {
  const events: HeraldEvent[] = [];
  const problems: string[] = [];
  const states: ConnectionState[] = [];
  let sources = 0;
  const connection = new StreamConnection({
    baseUrl: server.url,
    topics: ['**'],
    since: 'all',
    createEventSource: (url) => {
      sources++;
      return new EventSource(url, {
        fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...options.headers } }),
      }) as unknown as EventSourceLike;
    },
    probe: async () => {
      const response = await fetch(`${server.url}/topics`, { headers: options.headers ?? {} }).catch(() => null);
      if (!response) return { kind: 'unreachable', reason: 'down' };
      return response.status === 401 ? { kind: 'refused', reason: 'the token was refused' } : { kind: 'reachable' };
    },
    timers,
    retryDelayMs: () => 100,
    onEvent: (event) => events.push(event),
    onState: (state) => states.push(state),
    onProblem: (problem) => problems.push(problem),
  });
  connection.start();
  cleanups.push(() => connection.stop());
  return { connection, events, states, problems, sources: () => sources };
}

const bodies = (events: HeraldEvent[]): string[] => events.map((e) => (e.data as { body: string }).body);

/** A node:http server whose `/events` answer is `frames`, held open. */
async function streamOf(frames: string): Promise<{ url: string }> {
  const server = createServer((req, res) => {
    if (!req.url?.startsWith('/events')) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write(frames);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the dashboard stream connection', () => {
  it('skips and reports an event it cannot read (not JSON, or not what its type requires), and goes on', async () => {
    const stream = await streamOf(
      'id: 1\nevent: notify\ndata: {oops\n\n' +
        'id: 2\nevent: notify\ndata: {"topic":"a","time":1,"body":"no priority, no tags"}\n\n' +
        'id: 4\nevent: notify\ndata: {"topic":"a","time":1,"body":"fine","priority":3,"tags":[]}\n\n',
    );
    const client = connect(stream);
    await waitUntil(() => client.events.length === 1, () => JSON.stringify(client.problems));
    expect(bodies(client.events)).toEqual(['fine']);
    expect(client.connection.lastId).toBe('4');
    expect(client.problems).toEqual([
      'event 1 (notify) is not valid JSON: {oops',
      'event 2 (notify) is not a valid notify event: expected "priority" to be an integer from 1 to 5, got nothing',
    ]);
    expect(client.connection.state.kind).toBe('live');
  });

  it('replays the retained log, then goes live, in publish order', async () => {
    const server = await serve(await tempDir());
    await publish(server, 'ci/build', 'one');
    await publish(server, 'ci/build', 'two');
    const client = connect(server);
    await waitUntil(() => client.connection.state.kind === 'live' && client.events.length === 2, () => JSON.stringify(client.states));
    await publish(server, 'other', 'three');
    await waitUntil(() => client.events.length === 3, () => `got ${bodies(client.events)}`);
    expect(bodies(client.events)).toEqual(['one', 'two', 'three']);
    expect(client.connection.lastId).toBe(client.events[2]!.id);
  });

  it('shows reconnecting while the server is down, then resumes from its last id with nothing lost or doubled', async () => {
    const dataDir = await tempDir();
    const first = await serve(dataDir);
    const client = connect(first);
    await publish(first, 'a', 'before');
    await waitUntil(() => client.events.length === 1, () => `got ${bodies(client.events)}`);

    await first.close();
    await waitUntil(() => client.connection.state.kind === 'reconnecting', () => JSON.stringify(client.states));
    const reconnecting = client.connection.state;
    expect(reconnecting.kind === 'reconnecting' && reconnecting.retryAt > Date.now() - 1000).toBe(true);

    const second = await serve(dataDir, { port: first.port });
    await publish(second, 'a', 'while away');
    await waitUntil(() => client.connection.state.kind === 'live', () => JSON.stringify(client.states), 10_000);
    await publish(second, 'a', 'after');
    await waitUntil(() => client.events.length >= 3, () => `got ${bodies(client.events)}`);
    expect(bodies(client.events)).toEqual(['before', 'while away', 'after']);
    expect(new Set(client.events.map((e) => e.id)).size).toBe(3);
  });

  it('fails without retrying when the server refuses the token, and says why', async () => {
    const server = await serve(await tempDir(), { token: 'right' });
    const client = connect(server, { headers: { cookie: `herald_session_${server.port}=${'x'.repeat(43)}` } });
    await waitUntil(() => client.connection.state.kind === 'failed', () => JSON.stringify(client.states));
    expect(client.connection.state).toEqual({ kind: 'failed', reason: 'the token was refused' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(client.sources()).toBe(1);
  });

  it('is let in with the session cookie of the login form, as the dashboard’s browser sends it', async () => {
    const dataDir = await tempDir();
    const server = await createHeraldServer({ port: 0, dataDir, onError: () => {}, token: 'right', plugins: [dashboardPlugin({ dir: dataDir })] });
    cleanups.push(() => server.close());
    const login = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=right',
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const client = connect(server, { headers: { cookie } });
    await waitUntil(() => client.connection.state.kind === 'live', () => JSON.stringify(client.states));
  });
});
