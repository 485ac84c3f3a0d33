// SseConnection and Hub on real sockets: a local node:http server hands its
// responses to the code under test; clients are raw sockets we can stall.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { SseConnection, type CloseReason } from './sse-connection.ts';
import { Hub } from './hub.ts';
import { Subscription } from './subscription.ts';
import { ResponseServer } from './socket-test-support.ts';
import { openSqliteLog, type SqliteEventLog } from '../store/sqlite-log.ts';
import { TopicFilter } from '../protocol/topics.ts';

const responses = new ResponseServer();
let log: SqliteEventLog | undefined;

afterEach(async () => {
  await responses.close();
  await log?.close();
  log = undefined;
});

/** A response whose client is a raw socket; `paused` clients never read. */
const openResponse = (paused = false) => responses.open(paused);

describe('SseConnection', () => {
  it('writes everything queued since the last flush in one write', async () => {
    const { res, received } = await openResponse();
    const write = vi.spyOn(res, 'write');
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
    for (const frame of ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']) connection.enqueue(Buffer.from(frame));
    connection.flush();
    expect(write).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(received()).toContain('data: 1\n\ndata: 2\n\ndata: 3\n\n'));
  });

  it('holds frames while the socket pushes back and drops the connection past its cap', async () => {
    const { res } = await openResponse(true);
    const reasons: CloseReason[] = [];
    const connection = new SseConnection(res, { maxQueueBytes: 64 * 1024, onClose: (r) => reasons.push(r) });
    const frame = Buffer.alloc(32 * 1024, 'x');
    const write = vi.spyOn(res, 'write');
    let enqueuedAfterPushBack = 0;
    // Fill the kernel and Node buffers until the socket pushes back, then keep going.
    for (let i = 0; i < 2000 && !connection.closed; i++) {
      if (write.mock.results.some((r) => r.value === false)) enqueuedAfterPushBack++;
      connection.enqueue(frame);
      connection.flush();
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(connection.closed).toBe(true);
    expect(reasons).toEqual(['overflow']);
    // After the first refused write nothing more was written, and the queue took
    // no more than its cap (64 KiB = two frames) before the drop.
    const firstRefused = write.mock.results.findIndex((r) => r.value === false);
    expect(firstRefused).toBeGreaterThanOrEqual(0);
    expect(write.mock.calls.length).toBe(firstRefused + 1);
    expect(enqueuedAfterPushBack).toBe(3);
    expect(res.destroyed).toBe(true);
  });

  it('ends the response after writing what is queued', async () => {
    const { res, received } = await openResponse();
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
    connection.enqueue(Buffer.from('data: bye\n\n'));
    connection.endAfterFlush();
    // The last chunk of a chunked response: the response is complete.
    await vi.waitFor(() => expect(received()).toMatch(/data: bye\n\n\r\n0\r\n\r\n$/));
    expect(res.writableEnded).toBe(true);
    expect(connection.closed).toBe(true);
  });
});

describe('Hub', () => {
  it('encodes each event once and shares that frame between subscribers', async () => {
    log = openSqliteLog({ path: ':memory:' });
    const hub = new Hub(log, { heartbeatMs: 0 });
    const frames: Buffer[][] = [];
    for (const topics of ['a', 'a,b', '*']) {
      const { res } = await openResponse();
      const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
      const seen: Buffer[] = [];
      const enqueue = connection.enqueue.bind(connection);
      connection.enqueue = (frame) => (seen.push(frame), enqueue(frame));
      const sub = new Subscription({ filter: TopicFilter.parse(topics), connection, compareIds: log.compareIds, maxHeldBytes: 1 << 20 });
      sub.goLive();
      hub.add(sub);
      frames.push(seen);
    }
    await log.append([{ type: 'notify', data: { topic: 'a', time: 1, body: 'x', priority: 3, tags: [] } }]);
    expect(frames.map((f) => f.length)).toEqual([1, 1, 1]);
    expect(frames[1]![0]).toBe(frames[0]![0]);
    expect(frames[2]![0]).toBe(frames[0]![0]);
    hub.closeAll();
    expect(hub.size).toBe(0);
  });
});
