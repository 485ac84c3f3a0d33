// SseConnection and Hub on real sockets: a local node:http server hands its
// responses to the code under test; clients are raw sockets we can stall.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { SseConnection, type CloseReason } from './sse-connection.ts';
import { Hub } from './hub.ts';
import { Subscription } from './subscription.ts';
import { ResponseServer } from '../../test/support/response-server.ts';
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
  it('sends no head when begun after it was closed', async () => {
    const { res, received } = await responses.open(false, false);
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
    connection.close('ended');
    expect(() => connection.begin({ 'Content-Type': 'text/event-stream' })).not.toThrow();
    expect(res.headersSent).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received()).not.toContain('200 OK');
  });

  it('sends its head once when begun twice', async () => {
    const { res, received } = await responses.open(false, false);
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
    connection.begin({ 'Content-Type': 'text/event-stream' });
    expect(() => connection.begin({ 'Content-Type': 'text/event-stream' })).not.toThrow();
    connection.enqueue(Buffer.from('data: 1\n\n'));
    connection.flush();
    await vi.waitFor(() => expect(received()).toContain('data: 1'));
    expect(received().split('200 OK').length - 1).toBe(1);
  });

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

/** Queue and flush on a paused client until the socket pushes back. */
async function pushBack(connection: SseConnection): Promise<void> {
  const frame = Buffer.alloc(32 * 1024, 'x');
  for (let i = 0; i < 2000 && !connection.pushedBack; i++) {
    connection.enqueue(frame);
    connection.flush();
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  expect(connection.pushedBack).toBe(true);
}

/** True if `promise` settles within `ms` (a safety bound, not a speed check). */
const settles = (promise: Promise<unknown>, ms = 2000): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('SseConnection bookkeeping', () => {
  it('takes no frame once closed, and says so', async () => {
    const { res } = await openResponse();
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
    connection.close('ended');
    expect(connection.enqueue(Buffer.from('data: late\n\n'))).toBe(false);
    expect(connection.queuedBytes).toBe(0);
    expect(connection.pendingBytes).toBe(0);
  });

  it('answers false to the enqueue that overflowed it', async () => {
    const { res } = await openResponse(true);
    const connection = new SseConnection(res, { maxQueueBytes: 64 * 1024, onClose: () => {} });
    await pushBack(connection);
    const frame = Buffer.alloc(32 * 1024, 'y');
    const answers: boolean[] = [];
    while (!connection.closed) answers.push(connection.enqueue(frame));
    expect(answers.at(-1)).toBe(false);
    expect(answers.slice(0, -1).every((a) => a)).toBe(true);
  });

  it('makes no write when nothing is queued', async () => {
    const { res } = await openResponse();
    const write = vi.spyOn(res, 'write');
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
    connection.flush();
    expect(write).not.toHaveBeenCalled();
  });

  it('flushAndWait writes what is queued and resolves at once when the socket has room', async () => {
    const { res, received } = await openResponse();
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 20, onClose: () => {} });
    connection.enqueue(Buffer.from('data: now\n\n'));
    expect(await settles(connection.flushAndWait())).toBe(true);
    await vi.waitFor(() => expect(received()).toContain('data: now\n\n'));
  });

  it('writes what was queued while pushed back once the socket drains, with no further flush', async () => {
    const { res, client, received } = await openResponse(true);
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 30, onClose: () => {} });
    await pushBack(connection);
    connection.enqueue(Buffer.from('data: last\n\n'));
    let text = '';
    client.on('data', (d: Buffer) => (text += d.toString()));
    client.resume();
    await vi.waitFor(() => expect(text).toContain('data: last\n\n'), { timeout: 10_000 });
    expect(received()).toBe('');
  });

  it('wakes a wait for drain when the connection closes', async () => {
    const { res } = await openResponse(true);
    const connection = new SseConnection(res, { maxQueueBytes: 1 << 30, onClose: () => {} });
    await pushBack(connection);
    const waiting = connection.flushAndWait();
    connection.close('client');
    expect(await settles(waiting)).toBe(true);
  });

  it('tells why it closed, once: shutdown by default, client when the client leaves', async () => {
    const reasons: CloseReason[] = [];
    const first = await openResponse();
    const byServer = new SseConnection(first.res, { maxQueueBytes: 1 << 20, onClose: (r) => reasons.push(r) });
    byServer.close();
    byServer.close('ended');
    const second = await openResponse();
    new SseConnection(second.res, { maxQueueBytes: 1 << 20, onClose: (r) => reasons.push(r) });
    second.client.destroy();
    await vi.waitFor(() => expect(reasons).toEqual(['shutdown', 'client']));
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
