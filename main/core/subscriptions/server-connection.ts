// One server's subscription: every topic on ONE EventSource (`/events?topics=a,b`),
// because browsers and proxies allow only a few connections per host
// (docs/protocol.md, "Subscribe").
//
// Reconnection is ours, not EventSource's: its built-in retry waits a fixed delay
// and never backs off, and it gives up on any non-200 answer, including a 503 worth
// retrying. So on every error the EventSource is closed and, when retrying makes
// sense, a new one is opened after an exponential backoff with jitter, never sooner
// than the server's `retry:`, sending the last id we saw as `Last-Event-ID`. A fresh
// EventSource per attempt also means one code path for a reconnect and for a restart
// of the app (the id comes from ResumePoints).

import type { EventSource, EventSourceConstructor } from 'eventsource';
import type { EndData, HeraldEvent } from '../../../server/protocol/events.ts';
import { EVENT_TYPES, type EventType } from '../../../server/protocol/events.ts';
import { parseEvent } from '../../../server/protocol/event-vocabulary.ts';
import type { Clock } from '../clock.ts';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import { judgeBrokenStream, judgeRefusal, type FailureVerdict } from './connection-failure.ts';
import { HeartbeatWatchdog } from './heartbeat-watchdog.ts';
import { createObservedFetch, type RefusedAnswer } from './observed-fetch.ts';
import type { ResumePoints } from './resume-points.ts';
import type { ConnectionState, ServerSnapshot, TopicState } from './subscription-state.ts';

export interface ServerSubscription {
  id: string;
  name: string;
  /** Base URL of the server, e.g. http://127.0.0.1:8765 */
  url: string;
  token: string;
  topics: string[];
  /** With no resume point: `now` asks only for new events, `all` for everything retained. */
  since?: 'now' | 'all';
}

export interface ConnectionDeps {
  EventSource: EventSourceConstructor;
  fetch: typeof fetch;
  clock: Clock;
  /** [0, 1), for backoff jitter. */
  random: () => number;
  resumePoints: ResumePoints;
  /**
   * The heartbeat interval assumed until the server announces its own
   * (`Herald-Heartbeat-Ms`); silence for 2.5 times the interval reconnects.
   */
  heartbeatMs: number;
  backoff: BackoffOptions;
}

export interface ConnectionListener {
  event(serverId: string, event: HeraldEvent): void;
  changed(snapshot: ServerSnapshot): void;
  /** A stream fault that did not stop the connection (an event that is not valid JSON...). */
  problem(serverId: string, message: string): void;
}

/** `<base>/events?topics=a,b` (plus `since=all` on a first connection that asked for it). */
export function eventsUrl(base: string, topics: readonly string[], sinceAll: boolean): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/events`;
  url.search = '';
  url.searchParams.set('topics', topics.join(','));
  if (sinceAll) url.searchParams.set('since', 'all');
  return url.href;
}

export class ServerConnection {
  readonly config: ServerSubscription;
  readonly #deps: ConnectionDeps;
  readonly #listener: ConnectionListener;
  readonly #watchdog: HeartbeatWatchdog;
  #connection: ConnectionState = { kind: 'connecting' };
  readonly #topics = new Map<string, TopicState>();
  readonly #ended: Record<string, EndData> = {};
  #lastEventId: string | null;
  #source: EventSource | null = null;
  /** Bumped for every EventSource, so callbacks of a closed one are ignored. */
  #generation = 0;
  #attempt = 0;
  #serverRetryMs = 0;
  #reconnectTimer: unknown = null;
  #refused: RefusedAnswer | null = null;

  constructor(config: ServerSubscription, deps: ConnectionDeps, listener: ConnectionListener) {
    this.config = config;
    this.#deps = deps;
    this.#listener = listener;
    this.#lastEventId = deps.resumePoints.load(config.id);
    this.#watchdog = new HeartbeatWatchdog(deps.heartbeatMs, deps.clock, () => this.#onSilence());
    for (const topic of new Set(config.topics)) this.#topics.set(topic, { kind: 'connecting' });
  }

  get connectionState(): ConnectionState {
    return this.#connection;
  }

  snapshot(): ServerSnapshot {
    return {
      serverId: this.config.id,
      name: this.config.name,
      url: this.config.url,
      connection: this.#connection,
      topics: Object.fromEntries(this.#topics),
      ended: { ...this.#ended },
      lastEventId: this.#lastEventId,
    };
  }

  start(): void {
    if (this.#openTopics().length === 0) return this.#close('every topic has ended');
    this.#clearReconnect();
    this.#attempt = 0;
    this.#open();
  }

  /** Close for good (turned off, removed, or the app quits), saying why. */
  stop(reason: string): void {
    if (this.#connection.kind === 'closed') return;
    this.#close(reason);
  }

  #openTopics(): string[] {
    return [...this.#topics].filter(([, state]) => state.kind !== 'ended').map(([topic]) => topic);
  }

  #open(): void {
    this.#closeSource();
    const generation = ++this.#generation;
    /** False once this EventSource was replaced or closed: its late callbacks change nothing. */
    const current = () => generation === this.#generation;
    const sinceAll = this.#lastEventId === null && this.config.since === 'all';
    const url = eventsUrl(this.config.url, this.#openTopics(), sinceAll);
    const fetch = createObservedFetch(this.#deps.fetch, {
      token: this.config.token,
      lastEventId: () => this.#lastEventId,
      bytes: () => current() && this.#watchdog.bytesArrived(),
      retry: (ms) => {
        if (current()) this.#serverRetryMs = ms;
      },
      heartbeat: (ms) => {
        if (current()) this.#watchdog.setHeartbeat(ms);
      },
      refused: (answer) => {
        if (current()) this.#refused = answer;
      },
    });
    this.#setState({ kind: 'connecting' });
    const source = new this.#deps.EventSource(url, { fetch });
    this.#source = source;
    source.addEventListener('open', () => {
      if (!current()) return;
      this.#attempt = 0;
      this.#watchdog.bytesArrived();
      this.#setState({ kind: 'live' });
    });
    source.addEventListener('error', (error) => {
      if (current()) this.#onError(url, error.message);
    });
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        if (current()) this.#onMessage(type, message);
      });
    }
  }

  #onMessage(type: EventType, message: MessageEvent): void {
    const id = message.lastEventId;
    const parsed = parseEvent({ type, id, data: String(message.data) });
    if (!parsed.ok) {
      this.#listener.problem(this.config.id, parsed.problem);
      return;
    }
    const { event } = parsed;
    try {
      this.#listener.event(this.config.id, event);
    } catch (error) {
      this.#listener.problem(this.config.id, `handling event ${id} failed: ${(error as Error).message}`);
    }
    this.#lastEventId = id;
    this.#deps.resumePoints.save(this.config.id, id);
    if (event.type === 'end') this.#onEnd(event.data);
  }

  #onEnd(end: EndData): void {
    this.#ended[end.topic] = end;
    // A topic asked for by name; one matched by a pattern is only recorded in #ended.
    // An ended topic that ends again (it was restarted) shows its latest end.
    if (this.#topics.has(end.topic)) {
      this.#topics.set(end.topic, { kind: 'ended', end });
      if (this.#openTopics().length === 0) return this.#close('every topic has ended');
      this.#listener.changed(this.snapshot());
    }
  }

  #onError(url: string, message: string | undefined): void {
    const refused = this.#refused;
    this.#refused = null;
    this.#closeSource();
    const verdict: FailureVerdict = refused ? judgeRefusal(refused, url) : judgeBrokenStream(message);
    switch (verdict.kind) {
      case 'ended':
        for (const topic of this.#openTopics()) this.#topics.set(topic, { kind: 'ended', end: null });
        return this.#close('the server says every topic has ended (HTTP 204)');
      case 'fail':
        this.#watchdog.stop();
        return this.#setState({ kind: 'failed', reason: verdict.reason });
      case 'retry':
        return this.#scheduleReconnect(verdict.reason, verdict.floorMs);
      case 'forget-resume':
        // Its log was reset: what we missed there is gone. Say so, and go on live.
        this.#listener.problem(this.config.id, `${verdict.reason}; events since then may be lost, continuing with new events`);
        this.#lastEventId = null;
        return this.#scheduleReconnect(verdict.reason, 0);
    }
  }

  #onSilence(): void {
    this.#closeSource();
    const seconds = Math.round(this.#watchdog.timeoutMs / 100) / 10;
    this.#scheduleReconnect(`no data for ${seconds}s: the heartbeat stopped`, 0);
  }

  #scheduleReconnect(reason: string, floorMs: number): void {
    this.#watchdog.stop();
    this.#clearReconnect();
    const delay = backoffDelay(this.#attempt++, Math.max(floorMs, this.#serverRetryMs), this.#deps.backoff, this.#deps.random);
    const retryAt = this.#deps.clock.now() + delay;
    this.#reconnectTimer = this.#deps.clock.setTimeout(() => {
      this.#reconnectTimer = null;
      this.#open();
    }, delay);
    this.#setState({ kind: 'reconnecting', retryAt, reason });
  }

  #close(reason: string): void {
    this.#closeSource();
    this.#clearReconnect();
    this.#watchdog.stop();
    this.#generation++;
    this.#setState({ kind: 'closed', reason });
  }

  #closeSource(): void {
    this.#source?.close();
    this.#source = null;
  }

  #clearReconnect(): void {
    if (this.#reconnectTimer !== null) this.#deps.clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
  }

  /** Set the connection state, and every topic that has not ended follows it. */
  #setState(state: ConnectionState): void {
    this.#connection = state;
    const topicState: TopicState = state.kind === 'closed' ? { kind: 'closed' } : state;
    for (const [topic, current] of this.#topics) if (current.kind !== 'ended') this.#topics.set(topic, topicState);
    this.#listener.changed(this.snapshot());
  }
}
