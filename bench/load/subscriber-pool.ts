// N SSE subscribers on raw TCP sockets, and the accounting of what each one received.
// The pool is measured one "step" at a time: a step is M messages published at some
// rate, each carrying a marker (marker.ts), and every subscriber open when the step
// began is expected to receive all M exactly once.

import net from 'node:net';
import { HttpResponseReader } from './http-response-reader.ts';
import { LatencyHistogram, type LatencySummary } from './latency-histogram.ts';
import { MarkerScanner, WARMUP_STEP, nowUs } from './marker.ts';

export interface ConnectReport {
  requested: number;
  connected: number;
  failed: number;
  connectMs: number;
  /** The first few reasons connections failed. */
  errors: string[];
}

export interface StepReport {
  step: number;
  subscribers: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Markers of another step (late frames of an earlier one). */
  stray: number;
  malformed: number;
  /** Subscribers whose connection closed during the step. */
  disconnected: number;
  latency: LatencySummary;
  lastReceiveUs: number | null;
}

interface Subscriber {
  readonly index: number;
  socket: net.Socket;
  open: boolean;
  ready: boolean;
  scanner: MarkerScanner;
}

interface ActiveStep {
  step: number;
  messages: number;
  members: Uint8Array;
  subscribers: number;
  seen: Uint8Array;
  delivered: number;
  duplicates: number;
  stray: number;
  disconnected: number;
  histogram: LatencyHistogram;
  lastReceiveUs: number | null;
  onComplete: (() => void) | null;
}

export interface ConnectOptions {
  urls: readonly string[];
  path: string;
  count: number;
  concurrency: number;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/** Largest bitmap a step may allocate (subscribers x messages), to keep the client bounded. */
const MAX_STEP_CELLS = 200_000_000;

export class SubscriberPool {
  private readonly subscribers: Subscriber[] = [];
  private active: ActiveStep | null = null;
  /** Read time of the chunk being scanned: one clock read per read, not per event. */
  private chunkUs = 0;

  get open(): number {
    let n = 0;
    for (const s of this.subscribers) if (s.open) n++;
    return n;
  }

  get ready(): number {
    let n = 0;
    for (const s of this.subscribers) if (s.open && s.ready) n++;
    return n;
  }

  get malformed(): number {
    let n = 0;
    for (const s of this.subscribers) n += s.scanner.malformed;
    return n;
  }

  connect(options: ConnectOptions): Promise<ConnectReport> {
    const started = performance.now();
    const report: ConnectReport = { requested: options.count, connected: 0, failed: 0, connectMs: 0, errors: [] };
    return new Promise((resolve) => {
      let next = 0;
      let settled = 0;
      const finishOne = (error: string | null): void => {
        if (error === null) report.connected++;
        else {
          report.failed++;
          if (report.errors.length < 5) report.errors.push(error);
        }
        settled++;
        if (settled === options.count) {
          report.connectMs = performance.now() - started;
          resolve(report);
        } else if (next < options.count) {
          this.open1(options, next++, finishOne);
        }
      };
      if (options.count === 0) resolve(report);
      while (next < Math.min(options.concurrency, options.count)) this.open1(options, next++, finishOne);
    });
  }

  /** Start counting a step of `messages` markers for every subscriber open now. */
  beginStep(step: number, messages: number): void {
    const members = new Uint8Array(this.subscribers.length);
    let count = 0;
    for (const s of this.subscribers) {
      if (s.open) {
        members[s.index] = 1;
        count++;
      }
    }
    const cells = this.subscribers.length * messages;
    if (cells > MAX_STEP_CELLS) throw new Error(`a step of ${messages} messages to ${count} subscribers needs ${cells} cells, over ${MAX_STEP_CELLS}`);
    this.active = {
      step,
      messages,
      members,
      subscribers: count,
      seen: new Uint8Array(cells),
      delivered: 0,
      duplicates: 0,
      stray: 0,
      disconnected: 0,
      histogram: new LatencyHistogram(),
      lastReceiveUs: null,
      onComplete: null,
    };
  }

  /** Resolves true when every member received every message, false after `timeoutMs`. */
  waitComplete(timeoutMs: number): Promise<boolean> {
    const step = this.active;
    if (step === null) throw new Error('waitComplete called with no step begun');
    if (step.delivered === step.subscribers * step.messages) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        step.onComplete = null;
        resolve(false);
      }, timeoutMs);
      step.onComplete = () => {
        clearTimeout(timer);
        step.onComplete = null;
        resolve(true);
      };
    });
  }

  endStep(): StepReport {
    const step = this.active;
    if (step === null) throw new Error('endStep called with no step begun');
    this.active = null;
    const expected = step.subscribers * step.messages;
    return {
      step: step.step,
      subscribers: step.subscribers,
      expected,
      delivered: step.delivered,
      lost: expected - step.delivered,
      duplicates: step.duplicates,
      stray: step.stray,
      malformed: this.malformed,
      disconnected: step.disconnected,
      latency: step.histogram.summary(),
      lastReceiveUs: step.lastReceiveUs,
    };
  }

  /** Close every socket and wait until they are closed. */
  async closeAll(): Promise<number> {
    const closing = this.subscribers.filter((s) => !s.socket.destroyed);
    await Promise.all(
      closing.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.socket.once('close', () => resolve());
            s.socket.destroy();
          }),
      ),
    );
    this.subscribers.length = 0;
    this.active = null;
    return closing.length;
  }

  private open1(options: ConnectOptions, index: number, done: (error: string | null) => void): void {
    const url = new URL(options.urls[index % options.urls.length] as string);
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    socket.setNoDelay(true);
    let settled = false;
    const settle = (error: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error !== null) socket.destroy();
      done(error);
    };
    const timer = setTimeout(() => settle(`no response head within ${options.timeoutMs} ms`), options.timeoutMs);
    const subscriber: Subscriber = {
      index: this.subscribers.length,
      socket,
      open: false,
      ready: false,
      scanner: new MarkerScanner((step, seq, sentUs) => this.deliver(subscriber, step, seq, sentUs)),
    };
    this.subscribers.push(subscriber);
    const reader = new HttpResponseReader({
      onHead: (head) => {
        if (head.status !== 200) return settle(`HTTP ${head.status}`);
        subscriber.open = true;
        settle(null);
      },
      onBody: (data, start, end) => subscriber.scanner.feed(data, start, end),
      onError: (message) => settle(message),
    });
    socket.on('data', (bytes: Buffer) => {
      this.chunkUs = nowUs();
      reader.feed(bytes);
    });
    socket.on('error', (error) => settle(error.message));
    socket.on('close', () => {
      settle('closed before the response head');
      if (subscriber.open) {
        subscriber.open = false;
        const step = this.active;
        if (step !== null && step.members[subscriber.index] === 1) step.disconnected++;
      }
    });
    const headers = Object.entries(options.headers ?? {})
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`GET ${options.path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n${headers}\r\n`);
  }

  private deliver(subscriber: Subscriber, step: number, seq: number, sentUs: number): void {
    const active = this.active;
    if (step === WARMUP_STEP) {
      subscriber.ready = true;
      return;
    }
    if (active === null || step !== active.step || seq >= active.messages || active.members[subscriber.index] !== 1) {
      if (active !== null) active.stray++;
      return;
    }
    const cell = subscriber.index * active.messages + seq;
    if (active.seen[cell] === 1) {
      active.duplicates++;
      return;
    }
    active.seen[cell] = 1;
    active.delivered++;
    active.histogram.record(this.chunkUs - sentUs);
    active.lastReceiveUs = this.chunkUs;
    if (active.onComplete !== null && active.delivered === active.subscribers * active.messages) active.onComplete();
  }
}
