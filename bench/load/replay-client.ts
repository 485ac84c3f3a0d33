// One resuming subscriber: connects with `Last-Event-ID` and times how long the server
// takes to deliver the missed events, checking that they come complete and once each,
// and that their ids rise (ids sort in publish order, docs/protocol.md; see idAfter).

import net from 'node:net';
import { HttpResponseReader } from './http-response-reader.ts';
import { MarkerScanner } from './marker.ts';

export interface ReplayPlan {
  url: string;
  path: string;
  lastEventId: string;
  step: number;
  expected: number;
  timeoutMs: number;
  headers?: Record<string, string>;
}

export interface ReplayReport {
  status: number | null;
  received: number;
  duplicates: number;
  /** Events whose id did not sort after the previous event's id. */
  outOfOrder: number;
  /** Request written to the last expected event read. */
  totalMs: number | null;
  firstEventMs: number | null;
  error: string | null;
}

export function replayOnce(plan: ReplayPlan): Promise<ReplayReport> {
  const url = new URL(plan.url);
  const seen = new Uint8Array(plan.expected);
  const report: ReplayReport = { status: null, received: 0, duplicates: 0, outOfOrder: 0, totalMs: null, firstEventMs: null, error: null };
  let lastId: string | null = null;
  let partialLine = '';
  let started = 0;

  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const finish = (error: string | null): void => {
      if (report.error === null && error !== null && report.received < plan.expected) report.error = error;
      clearTimeout(timer);
      socket.destroy();
      resolve(report);
    };
    const timer = setTimeout(() => finish(`only ${report.received} of ${plan.expected} events within ${plan.timeoutMs} ms`), plan.timeoutMs);
    const scanner = new MarkerScanner((step, seq) => {
      if (step !== plan.step || seq >= plan.expected) return;
      if (report.firstEventMs === null) report.firstEventMs = performance.now() - started;
      if (seen[seq] === 1) {
        report.duplicates++;
        return;
      }
      seen[seq] = 1;
      report.received++;
      if (report.received === plan.expected) {
        report.totalMs = performance.now() - started;
        finish(null);
      }
    });
    const reader = new HttpResponseReader({
      onHead: (head) => {
        report.status = head.status;
        if (head.status !== 200) finish(`HTTP ${head.status}`);
      },
      onBody: (data, start, end) => {
        checkIds(data, start, end);
        scanner.feed(data, start, end);
      },
      onError: (message) => finish(message),
    });
    // Ids are checked before markers are counted, so the last event's id is seen before
    // the report is finished.
    const checkIds = (data: Uint8Array, start: number, end: number): void => {
      const lines = (partialLine + Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1')).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('id:')) continue;
        const id = line.slice(line.startsWith('id: ') ? 4 : 3);
        if (lastId !== null && !idAfter(id, lastId)) report.outOfOrder++;
        lastId = id;
      }
    };
    socket.on('data', (bytes: Buffer) => reader.feed(bytes));
    socket.on('error', (error) => finish(error.message));
    socket.on('close', () => finish('connection closed'));
    socket.on('connect', () => {
      started = performance.now();
      const headers = Object.entries({ 'Last-Event-ID': plan.lastEventId, ...plan.headers })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`GET ${plan.path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n${headers}\r\n`);
    });
  });
}

const NUMERIC_ID = /^\d+(-\d+)*$/;

/**
 * True when `id` sorts after `previous`. Ids are opaque, but the logs' ids are numbers
 * or Redis-stream-like `ms-seq` pairs, which sort by number per part, not as text
 * ("10" > "9"); anything else is compared as a string.
 */
export function idAfter(id: string, previous: string): boolean {
  if (!NUMERIC_ID.test(id) || !NUMERIC_ID.test(previous)) return id > previous;
  const a = id.split('-');
  const b = previous.split('-');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = (a[i] ?? '').replace(/^0+(?=\d)/, '');
    const y = (b[i] ?? '').replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length > y.length;
    if (x !== y) return x > y;
  }
  return false;
}
