// The hub fans each event out to the subscriptions whose filter matches it. It hears
// events only through EventLog.onEvents, so whatever appends to the log (this
// process, or another instance sharing a Redis log) reaches every subscriber the
// same way. Each event is encoded once per stream format into one Buffer that every
// subscriber's queue shares; every touched connection is then flushed once per batch.

import type { HeraldEvent } from '../protocol/events.ts';
import type { EventLog } from '../store/event-log.ts';
import { systemClock, type Clock } from '../protocol/clock.ts';
import type { Subscription } from './subscription.ts';
import type { CloseReason } from './sse-connection.ts';
import { EventFrames } from './stream-format.ts';
import { Histogram, LATENCY_BUCKETS } from '../core/histogram.ts';

/** What GET /metrics reads; incremented in place (the fan-out is the hottest path). */
export class HubStats {
  /** Live events queued to subscribers (one per event per subscriber). */
  deliveries = 0;
  /** Streams that asked for a backlog (`since` or Last-Event-ID) and finished replaying it. */
  replays = 0;
  /** Events sent by those replays. */
  replayedEvents = 0;
  /** Seconds from opening such a stream until it went live. */
  readonly replaySeconds = new Histogram(LATENCY_BUCKETS);
}

export interface HubOptions {
  /** Interval of the `: hb` comment; 0 turns it off. */
  heartbeatMs: number;
  clock?: Clock;
}

export class Hub {
  /** Subscriptions whose filter names only exact topics, indexed by topic. */
  readonly #byTopic = new Map<string, Set<Subscription>>();
  /** Subscriptions with a wildcard pattern: each event is matched against them. */
  readonly #wildcard = new Set<Subscription>();
  readonly #all = new Set<Subscription>();
  readonly #unsubscribe: () => void;
  readonly #clock: Clock;
  readonly #heartbeat: unknown;
  #overflowDrops = 0;
  readonly stats = new HubStats();
  #stalledDrops = 0;

  constructor(log: EventLog, options: HubOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#unsubscribe = log.onEvents((events) => this.publishToSubscribers(events));
    this.#heartbeat = options.heartbeatMs > 0 ? this.#clock.setInterval(() => this.#beat(), options.heartbeatMs) : null;
    (this.#heartbeat as { unref?: () => void } | null)?.unref?.();
  }

  /** How many subscriptions are open. */
  get size(): number {
    return this.#all.size;
  }

  /** How many subscribers were dropped because their queue overflowed (they resume by id). */
  get overflowDrops(): number {
    return this.#overflowDrops;
  }

  /** Bytes waiting for slow subscribers: queued on their sockets, or held back while they replay. */
  queuedBytes(): number {
    let bytes = 0;
    for (const sub of this.#all) bytes += sub.connection.queuedBytes + sub.heldBytes;
    return bytes;
  }

  /** How many subscribers were dropped because their socket did not take their replay in time (they resume by id). */
  get stalledDrops(): number {
    return this.#stalledDrops;
  }

  /** How many subscriptions would receive an event of `topic`. */
  subscribersOf(topic: string): number {
    let count = this.#byTopic.get(topic)?.size ?? 0;
    for (const sub of this.#wildcard) if (sub.filter.matches(topic)) count++;
    return count;
  }

  add(sub: Subscription): void {
    this.#all.add(sub);
    if (!sub.filter.allExact) {
      this.#wildcard.add(sub);
      return;
    }
    for (const topic of sub.filter.exactTopics) {
      let set = this.#byTopic.get(topic);
      if (set === undefined) this.#byTopic.set(topic, (set = new Set()));
      set.add(sub);
    }
  }

  remove(sub: Subscription, reason?: CloseReason): void {
    if (!this.#all.delete(sub)) return;
    if (reason === 'overflow') this.#overflowDrops++;
    if (reason === 'stalled') this.#stalledDrops++;
    this.#wildcard.delete(sub);
    if (!sub.filter.allExact) return;
    for (const topic of sub.filter.exactTopics) {
      const set = this.#byTopic.get(topic);
      set?.delete(sub);
      if (set?.size === 0) this.#byTopic.delete(topic);
    }
  }

  /** Fan a batch out: encode each event once, queue it, then flush each touched connection once. */
  publishToSubscribers(events: readonly HeraldEvent[]): void {
    const touched = new Set<Subscription>();
    for (const event of events) {
      const exact = this.#byTopic.get(event.data.topic);
      if (exact === undefined && this.#wildcard.size === 0) continue;
      const frames = new EventFrames(event);
      if (exact !== undefined) for (const sub of exact) this.#deliver(sub, frames, touched);
      for (const sub of this.#wildcard) if (sub.filter.matches(event.data.topic)) this.#deliver(sub, frames, touched);
    }
    for (const sub of touched) {
      if (sub.replaying) continue;
      sub.connection.flush();
      sub.closeIfAllEnded();
    }
  }

  /** Close every connection without an `end` event (shutdown); clients will resume. */
  closeAll(): void {
    this.#clock.clearInterval(this.#heartbeat);
    this.#unsubscribe();
    for (const sub of [...this.#all]) sub.connection.close('shutdown');
    this.#all.clear();
    this.#byTopic.clear();
    this.#wildcard.clear();
  }

  #deliver(sub: Subscription, frames: EventFrames, touched: Set<Subscription>): void {
    const held = frames.for(sub.format);
    // Only an event queued (or held for the end of replay) counts as a delivery.
    if (held === null || !sub.accepts(held.event) || !sub.deliver(held)) return;
    this.stats.deliveries++;
    touched.add(sub);
  }

  #beat(): void {
    for (const sub of this.#all) {
      if (sub.connection.queuedBytes > 0) continue;
      sub.connection.enqueue(sub.heartbeat());
      sub.connection.flush();
    }
  }
}
