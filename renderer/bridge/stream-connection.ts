// One SSE connection to one server, for every topic the window watches (browsers allow
// about six HTTP/1.1 connections per host: docs/protocol.md, "Subscribe"). It resumes
// from the last id it saw with `?since=` (a new EventSource cannot set Last-Event-ID),
// so a reconnect neither loses nor repeats an event.
//
// Reconnection is ours, not the browser's: the HTML standard's EventSource retries by
// itself only after a network error and gives up for good on any non-200 answer
// ("9.2.3 Processing model": fail the connection), and it never says when the next
// attempt is. Closing it and retrying on our own schedule lets the window show
// "reconnecting in N s" and tell a rejected token (no retry) from a server that is down.

import type { ConnectionState } from '../../main/ipc/bridge.ts';
import { EVENT_TYPES, type HeraldEvent } from '../../server/protocol/events.ts';
import { parseEvent } from '../../server/protocol/event-vocabulary.ts';

/** The part of EventSource this module uses (the DOM's, or the `eventsource` package's). */
export interface EventSourceLike {
  readonly readyState: number;
  /** `open`, `error` and one listener per event type; only message events carry data. */
  addEventListener(type: string, listener: (event: { data: string; lastEventId: string }) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

/** Why the stream failed, found by asking the server with a plain request. */
export type ProbeResult = { kind: 'reachable' } | { kind: 'unreachable'; reason: string } | { kind: 'refused'; reason: string };

export interface ConnectionTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface StreamConnectionOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  topics: readonly string[];
  /** Where the first connection starts: `all`, an id, or null for new events only. */
  since: string | null;
  createEventSource: EventSourceFactory;
  probe(): Promise<ProbeResult>;
  timers: ConnectionTimers;
  /** Delay before reconnect attempt `attempt` (1, 2, ...). */
  retryDelayMs?: (attempt: number) => number;
  onEvent(event: HeraldEvent): void;
  onState(state: ConnectionState): void;
  /** An event that could not be read (not JSON, or not what its type requires): skipped, the stream goes on. */
  onProblem?(problem: string): void;
}

const CLOSED = 2;

/** 1 s, 2 s, 4 s... up to 15 s, with ±20% jitter so many windows do not retry in step. */
export function defaultRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function streamUrl(baseUrl: string, topics: readonly string[], since: string | null): string {
  const url = new URL('/events', baseUrl);
  url.searchParams.set('topics', topics.join(','));
  if (since !== null) url.searchParams.set('since', since);
  return url.toString();
}

export class StreamConnection {
  readonly #options: StreamConnectionOptions;
  #source: EventSourceLike | null = null;
  #retryTimer: unknown = null;
  #attempt = 0;
  #lastId: string | null = null;
  #stopped = false;
  #state: ConnectionState = { kind: 'connecting' };

  constructor(options: StreamConnectionOptions) {
    if (options.topics.length === 0) throw new Error('a stream connection needs at least one topic');
    this.#options = options;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The id of the newest event received (where a reconnect resumes). */
  get lastId(): string | null {
    return this.#lastId;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.#closeSource();
    this.#clearRetry();
    this.#setState({ kind: 'closed' });
  }

  #connect(): void {
    this.#clearRetry();
    this.#closeSource();
    this.#setState({ kind: 'connecting' });
    const since = this.#lastId ?? this.#options.since;
    const source = this.#options.createEventSource(streamUrl(this.#options.baseUrl, this.#options.topics, since));
    this.#source = source;
    source.addEventListener('open', () => {
      if (this.#source !== source) return;
      this.#attempt = 0;
      this.#setState({ kind: 'live' });
    });
    source.addEventListener('error', () => {
      if (this.#source !== source) return;
      void this.#handleError(source.readyState === CLOSED);
    });
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        if (this.#source === source) this.#receive(type, message);
      });
    }
  }

  #receive(type: string, message: { data: string; lastEventId: string }): void {
    const parsed = parseEvent({ type, id: message.lastEventId, data: message.data });
    if (!parsed.ok) {
      this.#options.onProblem?.(parsed.problem);
      return;
    }
    this.#lastId = parsed.event.id;
    this.#options.onEvent(parsed.event);
  }

  async #handleError(answeredWithoutStream: boolean): Promise<void> {
    this.#closeSource();
    let reason = 'the connection was lost';
    if (answeredWithoutStream) {
      // The server answered, but not with a stream: ask it why before retrying.
      const probe = await this.#options.probe();
      if (this.#stopped) return;
      if (probe.kind === 'refused') {
        this.#setState({ kind: 'failed', reason: probe.reason });
        return;
      }
      reason = probe.kind === 'unreachable' ? probe.reason : 'the server did not answer with an event stream';
    }
    if (this.#stopped) return;
    this.#attempt++;
    const delay = (this.#options.retryDelayMs ?? defaultRetryDelayMs)(this.#attempt);
    const retryAt = this.#options.timers.now() + delay;
    this.#setState({ kind: 'reconnecting', retryAt, reason });
    this.#retryTimer = this.#options.timers.setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#stopped) this.#connect();
    }, delay);
  }

  #closeSource(): void {
    const source = this.#source;
    this.#source = null;
    source?.close();
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) this.#options.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.#options.onState(state);
  }
}
