// Subscribers that come back by themselves, as EventSource does (HTML Standard, 9.2.3):
// each reads its stream's `id:` and `retry:` lines, and when its connection ends or
// cannot be made it waits the `retry:` it was sent plus a little jitter of its own,
// then reconnects with `Last-Event-ID`. Raw TCP sockets as in subscriber-pool.ts, so
// 10,000 of them stay cheap. The pool counts, per subscriber, which of one batch of
// marked messages arrived (marker.ts): a loss, a repeat or a message out of order is
// counted against that subscriber.

import net from 'node:net';
import { HttpResponseReader } from './http-response-reader.ts';
import { MarkerScanner, WARMUP_STEP, nowUs } from './marker.ts';
import type { ConnectOptions, ConnectReport } from './subscriber-pool.ts';

/** What a subscriber waits before it reconnects when no `retry:` arrived (EventSource's usual default). */
const DEFAULT_RETRY_MS = 3000;

export interface ResumingConnectOptions extends ConnectOptions {
  /** Each reconnect waits the server's `retry:` plus a uniform 0..jitterMs of the client's own. */
  clientJitterMs: number;
}

export interface StormPlan {
  step: number;
  messages: number;
}

export interface StormReport {
  subscribers: number;
  /** Subscribers that got a new response head after the storm began. */
  reconnected: number;
  /** Subscribers that have every message of the step. */
  complete: number;
  /** Per subscriber, summed: messages missing, received twice, or before one published earlier. */
  lost: number;
  duplicates: number;
  outOfOrder: number;
  clientsWithLoss: number;
  clientsWithDuplicates: number;
  /** Connection attempts refused or failed during the storm (the server was down), and non-200 answers. */
  failedAttempts: number;
  refusals: number;
  /** Wall clock (nowUs) of the last subscriber's new response head, and of the last one completing; null if none. */
  lastLiveUs: number | null;
  lastCompleteUs: number | null;
  /** Milliseconds from `sinceUs` (the restart) to each reconnected subscriber's new response head: median, 90th and 99th percentile. */
  liveMs: { p50: number | null; p90: number | null; p99: number | null };
  /** The `retry:` values the subscribers were sent: lowest, highest, and how many distinct. */
  retryMs: { min: number | null; max: number | null; distinct: number };
}

interface Member {
  readonly index: number;
  socket: net.Socket | null;
  open: boolean;
  ready: boolean;
  lastId: string | null;
  retryMs: number;
  /** Wall clock (nowUs) of the last response head. */
  liveUs: number;
  completeUs: number;
  received: number;
  lastSeq: number;
  duplicates: number;
  outOfOrder: number;
  timer: NodeJS.Timeout | null;
}

export class ResumingPool {
  private readonly members: Member[] = [];
  private options: ResumingConnectOptions | null = null;
  private storm: { plan: StormPlan; seen: Uint8Array; beganUs: number; failedAttempts: number; refusals: number } | null = null;
  private closed = false;

  get open(): number {
    return this.members.filter((m) => m.open).length;
  }

  get ready(): number {
    return this.members.filter((m) => m.open && m.ready && m.lastId !== null).length;
  }

  /** Open `count` streams; each then reconnects by itself whenever it is cut. */
  connect(options: ResumingConnectOptions): Promise<ConnectReport> {
    this.options = options;
    const started = performance.now();
    const report: ConnectReport = { requested: options.count, connected: 0, failed: 0, connectMs: 0, errors: [] };
    return new Promise((resolve) => {
      let next = 0;
      let settled = 0;
      const one = (): void => {
        const member = this.newMember();
        this.dial(member, (error) => {
          if (error === null) report.connected++;
          else {
            report.failed++;
            if (report.errors.length < 5) report.errors.push(error);
          }
          if (++settled === options.count) {
            report.connectMs = performance.now() - started;
            resolve(report);
          } else if (next < options.count) {
            next++;
            one();
          }
        });
      };
      if (options.count === 0) resolve(report);
      while (next < Math.min(options.concurrency, options.count)) {
        next++;
        one();
      }
    });
  }

  /** Start counting `plan.messages` messages of `plan.step` for every subscriber. */
  beginStorm(plan: StormPlan): void {
    this.storm = { plan, seen: new Uint8Array(this.members.length * plan.messages), beganUs: nowUs(), failedAttempts: 0, refusals: 0 };
    for (const m of this.members) {
      m.received = 0;
      m.lastSeq = -1;
      m.duplicates = 0;
      m.outOfOrder = 0;
      m.completeUs = 0;
    }
  }

  /** The storm's counts now; call again until complete (or give up). Reconnect times are counted from `sinceUs`. */
  report(sinceUs: number | null = null): StormReport {
    const storm = this.storm;
    if (storm === null) throw new Error('report called before beginStorm');
    const report: StormReport = {
      subscribers: this.members.length,
      reconnected: 0,
      complete: 0,
      lost: 0,
      duplicates: 0,
      outOfOrder: 0,
      clientsWithLoss: 0,
      clientsWithDuplicates: 0,
      failedAttempts: storm.failedAttempts,
      refusals: storm.refusals,
      lastLiveUs: null,
      lastCompleteUs: null,
      liveMs: { p50: null, p90: null, p99: null },
      retryMs: { min: null, max: null, distinct: new Set(this.members.map((m) => m.retryMs)).size },
    };
    const from = sinceUs ?? storm.beganUs;
    const live = this.members.filter((m) => m.liveUs > storm.beganUs).map((m) => (m.liveUs - from) / 1000).sort((a, b) => a - b);
    const at = (q: number): number | null => (live.length === 0 ? null : (live[Math.min(live.length - 1, Math.floor(q * live.length))] as number));
    report.liveMs = { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
    for (const m of this.members) {
      if (m.liveUs > storm.beganUs) {
        report.reconnected++;
        report.lastLiveUs = Math.max(report.lastLiveUs ?? 0, m.liveUs);
      }
      const missing = storm.plan.messages - m.received;
      report.lost += missing;
      if (missing > 0) report.clientsWithLoss++;
      else {
        report.complete++;
        report.lastCompleteUs = Math.max(report.lastCompleteUs ?? 0, m.completeUs);
      }
      report.duplicates += m.duplicates;
      if (m.duplicates > 0) report.clientsWithDuplicates++;
      report.outOfOrder += m.outOfOrder;
      report.retryMs.min = Math.min(report.retryMs.min ?? Infinity, m.retryMs);
      report.retryMs.max = Math.max(report.retryMs.max ?? 0, m.retryMs);
    }
    return report;
  }

  /** Stop reconnecting and close every socket. */
  async closeAll(): Promise<number> {
    this.closed = true;
    let n = 0;
    await Promise.all(
      this.members.map((m) => {
        if (m.timer !== null) clearTimeout(m.timer);
        const socket = m.socket;
        if (socket === null || socket.destroyed) return Promise.resolve();
        n++;
        return new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.destroy();
        });
      }),
    );
    this.members.length = 0;
    return n;
  }

  private newMember(): Member {
    const member: Member = {
      index: this.members.length,
      socket: null,
      open: false,
      ready: false,
      lastId: null,
      retryMs: DEFAULT_RETRY_MS,
      liveUs: 0,
      completeUs: 0,
      received: 0,
      lastSeq: -1,
      duplicates: 0,
      outOfOrder: 0,
      timer: null,
    };
    this.members.push(member);
    return member;
  }

  /** One connection attempt; `settled` hears once whether a 200 head arrived. Whenever it ends, a reconnect is scheduled. */
  private dial(member: Member, settled: (error: string | null) => void = () => {}): void {
    const options = this.options as ResumingConnectOptions;
    const url = new URL(options.urls[member.index % options.urls.length] as string);
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    member.socket = socket;
    socket.setNoDelay(true);
    let answered = false;
    const answer = (error: string | null): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      if (error !== null) {
        if (this.storm !== null) this.storm.failedAttempts++;
        socket.destroy();
      }
      settled(error);
    };
    const timer = setTimeout(() => answer(`no response head within ${options.timeoutMs} ms`), options.timeoutMs);
    let partial = '';
    let pendingId: string | null = null;
    const scanner = new MarkerScanner((step, seq) => this.deliver(member, step, seq));
    const reader = new HttpResponseReader({
      onHead: (head) => {
        if (head.status !== 200) {
          if (this.storm !== null) this.storm.refusals++;
          return answer(`HTTP ${head.status}`);
        }
        member.open = true;
        member.liveUs = nowUs();
        answer(null);
      },
      onBody: (data, start, end) => {
        // Lines first, for `id:` and `retry:`; the markers in `data:` lines by the scanner.
        const lines = (partial + Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (line.startsWith('id:')) pendingId = line.slice(line.startsWith('id: ') ? 4 : 3);
          else if (line.startsWith('retry:')) {
            const ms = Number(line.slice(6).trim());
            if (Number.isInteger(ms) && ms >= 0) member.retryMs = ms;
          } else if (line.startsWith('data:')) scanner.feed(Buffer.from(line));
          else if (line === '' && pendingId !== null) {
            member.lastId = pendingId;
            pendingId = null;
          }
        }
      },
      onError: (message) => answer(message),
    });
    socket.on('data', (bytes: Buffer) => reader.feed(bytes));
    socket.on('error', (error) => answer(error.message));
    socket.on('close', () => {
      answer('closed before the response head');
      member.open = false;
      member.socket = null;
      if (!this.closed) this.scheduleReconnect(member);
    });
    const headers = Object.entries({ ...(member.lastId === null ? {} : { 'Last-Event-ID': member.lastId }), ...options.headers })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`GET ${options.path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n${headers}\r\n`);
  }

  private scheduleReconnect(member: Member): void {
    const options = this.options as ResumingConnectOptions;
    const delay = member.retryMs + Math.floor(Math.random() * (options.clientJitterMs + 1));
    member.timer = setTimeout(() => {
      member.timer = null;
      if (!this.closed) this.dial(member);
    }, delay);
  }

  private deliver(member: Member, step: number, seq: number): void {
    if (step === WARMUP_STEP) {
      member.ready = true;
      return;
    }
    const storm = this.storm;
    if (storm === null || step !== storm.plan.step || seq >= storm.plan.messages) return;
    const cell = member.index * storm.plan.messages + seq;
    if (storm.seen[cell] === 1) {
      member.duplicates++;
      return;
    }
    storm.seen[cell] = 1;
    if (seq < member.lastSeq) member.outOfOrder++;
    member.lastSeq = seq;
    member.received++;
    if (member.received === storm.plan.messages) member.completeUs = nowUs();
  }
}
