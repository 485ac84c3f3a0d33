// Shared by the subscription tests: a SubscriptionManager on a ManualClock watched
// by recording listeners, Herald's own server on port 0, and tiny node:http servers
// whose answers a test writes. Each test file runs `afterEach(runCleanups)`.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { startTestServer, type TestServer } from '../../../test/support/herald-test-server.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import type { ResumePoints } from './resume-points.ts';
import { SubscriptionManager, type ServerSubscription } from './subscription-manager.ts';
import type { ServerSnapshot } from './subscription-state.ts';

const cleanups: Array<() => unknown> = [];

/** Stop every manager and server the test started, newest first. */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export interface Watched {
  manager: SubscriptionManager;
  clock: ManualClock;
  events: Array<{ serverId: string; event: HeraldEvent }>;
  states: ServerSnapshot[][];
  problems: string[];
  snapshot(id?: string): ServerSnapshot;
}

export function watch(servers: ServerSubscription[], options: { resumePoints?: ResumePoints; heartbeatMs?: number } = {}): Watched {
  const clock = new ManualClock(Date.now());
  const manager = new SubscriptionManager({
    clock,
    random: () => 0.5,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    backoff: { initialMs: 1000, maxMs: 30_000 },
    ...(options.resumePoints ? { resumePoints: options.resumePoints } : {}),
  });
  const watched: Watched = {
    manager,
    clock,
    events: [],
    states: [],
    problems: [],
    snapshot: (id = servers[0]!.id) => {
      const found = manager.snapshots().find((s) => s.serverId === id);
      if (!found) throw new Error(`no snapshot for ${id}`);
      return found;
    },
  };
  manager.on('event', (serverId, event) => watched.events.push({ serverId, event }));
  manager.on('status', (snapshots) => watched.states.push(snapshots));
  manager.on('problem', (_serverId, message) => watched.problems.push(message));
  cleanups.push(() => manager.stop());
  manager.setServers(servers);
  return watched;
}

export function subscription(url: string, topics: string[], extra: Partial<ServerSubscription> = {}): ServerSubscription {
  return { id: 'local', name: 'Local', url, token: '', topics, ...extra };
}

export async function herald(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer & { streamRequests: IncomingMessage[] }> {
  const server = await startTestServer({ heartbeatMs: 60_000, retryMs: 100, ...options });
  cleanups.push(() => {
    // undici may leave a fresh socket with no request on it after an abort, which
    // server.close() only drops after its grace period: cut every socket first.
    server.server.http.closeAllConnections();
    return server.close();
  });
  const streamRequests: IncomingMessage[] = [];
  server.server.http.on('request', (req: IncomingMessage) => {
    if (req.url?.startsWith('/events')) streamRequests.push(req);
  });
  return Object.assign(server, { streamRequests });
}

/** A node:http server whose `/events` answers are written by the test. */
export async function tinyServer(handler: (req: IncomingMessage, res: ServerResponse, count: number) => void): Promise<{ url: string; requests: IncomingMessage[]; server: Server }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

export const liveState = (w: Watched) => () => w.snapshot().connection.kind === 'live';
export const describeState = (w: Watched) => () => JSON.stringify(w.snapshot());
export const bodies = (w: Watched) => w.events.map(({ event }) => (event.type === 'notify' ? event.data.body : `${event.type}:${event.data.topic}`));

/** Let pending I/O callbacks run (a request that should NOT happen gets its chance). */
export const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

