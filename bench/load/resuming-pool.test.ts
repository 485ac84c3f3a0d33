// The reconnect-storm generator against tiny in-process SSE servers, so it cannot rot:
// with a server that resumes by Last-Event-ID it must count every message once; with
// one that ignores the id it must count the losses, and with one that replays its
// whole log on every connection, the repeats. No timing is asserted.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMarker } from './marker.ts';
import { ResumingPool, type StormReport } from './resuming-pool.ts';

type Mode = 'resume' | 'ignore-id' | 'replay-all';
const CLIENTS = 20;
const RETRY_MS = 30;

interface TinyServer {
  url: string;
  publish(body: string): void;
  /** Cut every open stream, as a killed server would. */
  cut(): void;
  close(): Promise<void>;
}

async function tinyServer(mode: Mode): Promise<TinyServer> {
  const log: Array<{ id: string; frame: string }> = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write(`retry: ${RETRY_MS}\n\n`);
    const lastId = req.headers['last-event-id'];
    const from = mode === 'replay-all' ? 0 : mode === 'ignore-id' || lastId === undefined ? log.length : log.findIndex((e) => e.id === lastId) + 1;
    for (const entry of log.slice(from)) res.write(entry.frame);
    open.add(res);
    res.on('close', () => open.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    publish(body) {
      const id = String(log.length + 1);
      const frame = `id: ${id}\nevent: notify\ndata: ${JSON.stringify({ topic: 'bench', body })}\n\n`;
      log.push({ id, frame });
      for (const res of open) res.write(frame);
    },
    cut() {
      server.closeAllConnections();
      open.clear();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function until(check: () => boolean, what: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let pool: ResumingPool | undefined;
let server: TinyServer | undefined;
afterEach(async () => {
  await pool?.closeAll();
  await server?.close();
  pool = undefined;
  server = undefined;
});

/** Two messages live, a cut, three more while every client is away; then wait until all are back and settled. */
async function storm(mode: Mode): Promise<StormReport> {
  server = await tinyServer(mode);
  pool = new ResumingPool();
  const connect = await pool.connect({ urls: [server.url], path: '/events?topics=bench', count: CLIENTS, concurrency: CLIENTS, timeoutMs: 5000, clientJitterMs: 20 });
  expect(connect.connected).toBe(CLIENTS);
  server.publish(encodeMarker(0, 0, 1));
  await until(() => pool!.ready === CLIENTS, () => `${pool!.ready} ready`);
  pool.beginStorm({ step: 1, messages: 5 });
  server.publish(encodeMarker(1, 0, 1));
  server.publish(encodeMarker(1, 1, 1));
  await until(() => pool!.report().lost === CLIENTS * 3, () => `lost ${pool!.report().lost}`);
  // Synchronously after the cut: no client can be back before the next RETRY_MS.
  server.cut();
  for (const seq of [2, 3, 4]) server.publish(encodeMarker(1, seq, 1));
  await until(() => pool!.report().reconnected === CLIENTS, () => `${pool!.report().reconnected} reconnected`);
  if (mode === 'resume') await until(() => pool!.report().complete === CLIENTS, () => `${pool!.report().complete} complete`);
  // Anything repeated or late arrives within a few retry periods.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return pool.report();
}

describe('ResumingPool', () => {
  it('counts every message once from a server that resumes by Last-Event-ID, and reads the retry it was sent', async () => {
    const report = await storm('resume');
    expect(report).toMatchObject({ subscribers: CLIENTS, reconnected: CLIENTS, complete: CLIENTS, lost: 0, duplicates: 0, outOfOrder: 0 });
    expect(report.retryMs).toEqual({ min: RETRY_MS, max: RETRY_MS, distinct: 1 });
    expect(report.liveMs.p50).not.toBeNull();
  });

  it('counts the losses of a server that ignores Last-Event-ID', async () => {
    const report = await storm('ignore-id');
    expect(report).toMatchObject({ reconnected: CLIENTS, complete: 0, lost: CLIENTS * 3, clientsWithLoss: CLIENTS, duplicates: 0 });
  });

  it('counts the repeats of a server that replays its whole log on every connection', async () => {
    const report = await storm('replay-all');
    expect(report).toMatchObject({ reconnected: CLIENTS, complete: CLIENTS, lost: 0, duplicates: CLIENTS * 2, clientsWithDuplicates: CLIENTS });
  });
});
