// One server's subscription: every topic of the server on ONE stream, opened by the
// transport of its kind (stream-transports.ts: Herald's `/events?topics=a,b` over
// EventSource, an ntfy server's JSON stream, a plain SSE URL), because browsers and
// proxies allow only a few connections per host (docs/protocol.md, "Subscribe").
//
// Reconnection is ours, not EventSource's: its built-in retry waits a fixed delay
// and never backs off, and it gives up on any non-200 answer, including a 503 worth
// retrying. So on every failure the stream is closed and, when retrying makes
// sense, a new one is opened after an exponential backoff with jitter, never sooner
// than the server's `retry:`, resuming after the last id we saw (`Last-Event-ID`, or
// ntfy's `since=`). A fresh stream per attempt also means one code path for a
// reconnect and for a restart of the app (the id comes from ResumePoints).

import type { EndData, HeraldEvent } from '../../../server/protocol/events.ts';
import { isUnknownResumeGap } from '../../../server/protocol/events.ts';
import { backoffDelay } from './backoff.ts';
import type { FailureVerdict } from './connection-failure.ts';
import { HeartbeatWatchdog } from './heartbeat-watchdog.ts';
import type { ConnectionDeps, OpenStream, ServerSubscription, StreamTransport } from './stream-transport.ts';
import { transportFor } from './stream-transports.ts';
import type { ConnectionState, ServerSnapshot, TopicState } from './subscription-state.ts';

export type { ConnectionDeps, ServerSubscription } from './stream-transport.ts';
export { eventsUrl } from './herald-stream.ts';

export interface ConnectionListener {
  event(serverId: string, event: HeraldEvent): void;
  changed(snapshot: ServerSnapshot): void;
  /** A stream fault that did not stop the connection (an event that is not valid JSON...). */
  problem(serverId: string, message: string): void;
}

export class ServerConnection {
  readonly config: ServerSubscription;
  readonly #deps: ConnectionDeps;
  readonly #listener: ConnectionListener;
  readonly #watchdog: HeartbeatWatchdog;
  #connection: ConnectionState = { kind: 'connecting' };
  readonly #topics = new Map<string, TopicState>();
  readonly #ended: Record<string, EndData> = {};
  readonly #transport: StreamTransport;
  #lastEventId: string | null;
  #stream: OpenStream | null = null;
  /** Bumped for every stream, so callbacks of a closed one are ignored. */
  #generation = 0;
  #attempt = 0;
  #serverRetryMs = 0;
  #reconnectTimer: unknown = null;
  /** The EventSource generation that already reported an unknown resume point (one report per connection). */
  #reportedUnknownResume = -1;

  constructor(config: ServerSubscription, deps: ConnectionDeps, listener: ConnectionListener) {
    this.config = config;
    this.#deps = deps;
    this.#listener = listener;
    this.#lastEventId = deps.resumePoints.load(config.id);
    this.#transport = transportFor(config, deps);
    this.#watchdog = new HeartbeatWatchdog(this.#transport.heartbeatMs, deps.clock, () => this.#onSilence());
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
    const current = () => generation === this.#generation;
    this.#setState({ kind: 'connecting' });
    this.#stream = this.#transport.open(
      {
        topics: this.#openTopics(),
        resumeId: () => this.#lastEventId,
        sinceAll: this.#lastEventId === null && this.config.since === 'all',
      },
      {
        opened: () => {
          if (!current()) return;
          this.#attempt = 0;
          this.#watchdog.bytesArrived();
          this.#setState({ kind: 'live' });
        },
        bytes: () => current() && this.#watchdog.bytesArrived(),
        retry: (ms) => {
          if (current()) this.#serverRetryMs = ms;
        },
        heartbeat: (ms) => {
          if (current()) this.#watchdog.setHeartbeat(ms);
        },
        received: (event, resumeId) => {
          if (current()) this.#onEvent(event, resumeId);
        },
        problem: (message) => {
          if (current()) this.#listener.problem(this.config.id, message);
        },
        failed: (verdict) => {
          if (current()) this.#onFailure(verdict);
        },
      },
    );
  }

  #onEvent(event: HeraldEvent, resumeId: string | null): void {
    try {
      this.#listener.event(this.config.id, event);
    } catch (error) {
      this.#listener.problem(this.config.id, `handling event ${event.id} failed: ${(error as Error).message}`);
    }
    if (resumeId) {
      this.#lastEventId = resumeId;
      this.#deps.resumePoints.save(this.config.id, resumeId);
    }
    // An unknown-resume-point gap carries the start of the server's log as its id, so
    // saving it (above) drops the resume id the server never issued.
    if (isUnknownResumeGap(event)) this.#onUnknownResumePoint(event.data.since);
    if (event.type === 'end') this.#onEnd(event.data);
  }

  /** The server never issued our resume id; it replays everything it holds. Said once per connection (one gap comes per topic). */
  #onUnknownResumePoint(since: string): void {
    if (this.#reportedUnknownResume === this.#generation) return;
    this.#reportedUnknownResume = this.#generation;
    this.#listener.problem(
      this.config.id,
      `the server never issued the last event id we saw (${since}): its log was reset or restored from a backup, or it is another server. ` +
        'History may be incomplete; receiving everything the server holds, then new events',
    );
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

  #onFailure(verdict: FailureVerdict): void {
    this.#closeSource();
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
    this.#stream?.close();
    this.#stream = null;
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
