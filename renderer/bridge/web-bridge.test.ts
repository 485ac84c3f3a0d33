// The web dashboard's Bridge against a real server (with the real jobs source), the
// real `eventsource` client for EventSource, and real fetch.

import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge, ReceivedEvent, ServerStatus } from '../../main/app/ipc/bridge.ts';
import { sourcesPlugin } from '../../server/sources/index.ts';
import { startTestServer, waitUntil, type TestServer } from '../../test/support/herald-test-server.ts';
import type { EventSourceLike } from './stream-connection.ts';
import { createWebBridge, type KeyValueStorage, WEB_SERVER_ID } from './web-bridge.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

async function start(): Promise<TestServer> {
  const server = await startTestServer({
    plugins: [sourcesPlugin({ config: { system: { enabled: false }, jobs: { greet: { command: 'echo hello from greet' }, long: { command: 'sleep 30' } } } })],
  });
  cleanups.push(() => server.close());
  return server;
}

function open(server: TestServer, storage = memoryStorage()) {
  const bridge: Bridge = createWebBridge({
    baseUrl: server.url,
    label: 'test',
    createEventSource: (url) => new EventSource(url) as unknown as EventSourceLike,
    fetch,
    timers: { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    storage,
    retryDelayMs: () => 100,
  });
  const events: ReceivedEvent[] = [];
  let status: readonly ServerStatus[] = [];
  cleanups.push(bridge.onEvents((batch) => events.push(...batch)));
  cleanups.push(bridge.onStatus((next) => (status = next)));
  return { bridge, events, status: () => status[0], storage };
}

const bodies = (events: ReceivedEvent[]): string[] => events.map((e) => (e.event.data as { body?: string }).body ?? e.event.type);

describe('the web dashboard bridge', () => {
  it('streams this server’s history and live events, and reports the connection', async () => {
    const server = await start();
    await server.publish('ci/build', 'old');
    const web = open(server);
    await waitUntil(() => web.status()?.connection.kind === 'live' && web.events.length === 1, () => JSON.stringify(web.status()));
    await server.publish('ci/build', 'new');
    await waitUntil(() => web.events.length === 2, () => bodies(web.events).join());
    expect(bodies(web.events)).toEqual(['old', 'new']);
    expect(web.events.every((e) => e.server === WEB_SERVER_ID)).toBe(true);
    expect(web.bridge.capabilities).toMatchObject({ host: 'web', notifications: false, startAtLogin: false, bundledServer: false });
    expect(await web.bridge.loadHistory(100)).toEqual([]);
  });

  it('runs a job, reads its output log, and records how its stream ended', async () => {
    const server = await start();
    const web = open(server);
    const run = await web.bridge.runJob(WEB_SERVER_ID, 'greet');
    expect(run).toMatchObject({ job: 'greet', topic: `job/greet/${run.run}` });
    await waitUntil(() => web.status()?.ended[run.topic] !== undefined, () => JSON.stringify(web.status()));
    expect(web.status()?.ended[run.topic]).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(await web.bridge.jobLog(run)).toBe('hello from greet\n');
  });

  it('cancels a running job, and explains a failure in words', async () => {
    const server = await start();
    const web = open(server);
    const run = await web.bridge.runJob(WEB_SERVER_ID, 'long');
    await web.bridge.cancelJob(run);
    await waitUntil(() => web.status()?.ended[run.topic] !== undefined, () => JSON.stringify(web.status()), 10_000);
    expect(web.status()?.ended[run.topic]?.state).toBe('cancelled');
    await expect(web.bridge.runJob(WEB_SERVER_ID, 'nope')).rejects.toThrow(/Starting job nope failed: the server answered 404: .*nope/);
  });

  it('clears by hiding what came before, also after a reload, while the server keeps its log', async () => {
    const server = await start();
    await server.publish('a', 'before clear');
    const first = open(server);
    await waitUntil(() => first.events.length === 1, () => bodies(first.events).join());
    await first.bridge.clearHistory();
    await server.publish('a', 'after clear');
    const reloaded = open(server, first.storage);
    await waitUntil(() => reloaded.events.length === 1, () => bodies(reloaded.events).join());
    expect(bodies(reloaded.events)).toEqual(['after clear']);
    const everything = open(server);
    await waitUntil(() => everything.events.length === 2, () => bodies(everything.events).join());
  });

  it('shows everything a reset server holds after its gap, and forgets a cleared point from the old log', async () => {
    const server = await start();
    await server.publish('a', 'in the new log');
    // Cleared at id 900000 of a log this server no longer has (its data dir was wiped).
    const storage = memoryStorage();
    storage.setItem('herald.dashboard.clearedAfter', '900000');
    const web = open(server, storage);
    await waitUntil(() => web.events.length === 2, () => bodies(web.events).join());
    expect(web.events[0]!.event).toMatchObject({ type: 'gap', data: { reason: 'unknown-resume-point', since: '900000' } });
    expect(bodies(web.events.slice(1))).toEqual(['in the new log']);
    expect(storage.data.has('herald.dashboard.clearedAfter')).toBe(false);
  });

  it('refuses invalid settings with every problem by path, and applies valid topics', async () => {
    const server = await start();
    const web = open(server);
    const settings = await web.bridge.loadSettings();
    expect(settings.servers).toEqual([{ id: WEB_SERVER_ID, name: 'test', url: server.url, token: '', topics: ['**'], enabled: true }]);
    const bad = structuredClone(settings);
    bad.servers[0]!.topics = ['ok', 'bad topic'];
    bad.quietHours.start = '25:00';
    const refused = await web.bridge.saveSettings(bad);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems.map((p) => p.path)).toEqual(['quietHours.start']);
    bad.quietHours.start = '22:00';
    const refusedTopic = await web.bridge.saveSettings(bad);
    expect(!refusedTopic.ok && refusedTopic.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^servers\[0\]\.topics\[1\]: expected a topic pattern/)]);

    const good = structuredClone(settings);
    good.servers[0]!.topics = ['only/this'];
    const saved = await web.bridge.saveSettings(good);
    expect(saved.ok && saved.settings.servers[0]!.topics).toEqual(['only/this']);
    await waitUntil(() => web.status()?.connection.kind === 'live', () => JSON.stringify(web.status()));
    await server.publish('elsewhere', 'not shown');
    await server.publish('only/this', 'shown');
    await waitUntil(() => web.events.length >= 1, () => bodies(web.events).join());
    expect(bodies(web.events)).toEqual(['shown']);

    // Widening again brings what the newly watched topics already had.
    good.servers[0]!.topics = ['**'];
    await web.bridge.saveSettings(good);
    await waitUntil(() => bodies(web.events).includes('not shown'), () => bodies(web.events).join());
  });

  it('does not pretend to pause or mute notifications it never raises', async () => {
    const web = open(await start());
    await expect(web.bridge.pauseNotifications(Infinity)).rejects.toThrow(/desktop app/);
    await expect(web.bridge.setTopicMuted('a', true)).rejects.toThrow(/desktop app/);
  });
});
