// The hub fans each event out to the subscriptions whose filter matches it. It hears
// events only through EventLog.onEvents, so whatever appends to the log (this
// process, or another instance sharing a Redis log) reaches every subscriber the
// same way. Each event is encoded once into one Buffer that every subscriber's
// queue shares; every touched connection is then flushed once per batch.

import { encodeComment, encodeEvent } from '../protocol/frames.ts';
import type { HeraldEvent } from '../protocol/events.ts';
import type { EventLog } from '../store/event-log.ts';
import { systemClock, type Clock } from '../protocol/clock.ts';
import type { HeldEvent, Subscription } from './subscription.ts';
import type { CloseReason } from './sse-connection.ts';

export interface HubOptions {
  /** Interval of the `: hb` comment; 0 turns it off. */
  heartbeatMs: number;
  clock?: Clock;
}

const HEARTBEAT = Buffer.from(encodeComment('hb'));

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
      const held: HeldEvent = { event, frame: Buffer.from(encodeEvent(event)) };
      if (exact !== undefined) for (const sub of exact) this.#deliver(sub, held, touched);
      for (const sub of this.#wildcard) if (sub.filter.matches(event.data.topic)) this.#deliver(sub, held, touched);
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

  #deliver(sub: Subscription, held: HeldEvent, touched: Set<Subscription>): void {
    if (sub.deliver(held)) touched.add(sub);
  }

  #beat(): void {
    for (const sub of this.#all) {
      if (sub.connection.queuedBytes > 0) continue;
      sub.connection.enqueue(HEARTBEAT);
      sub.connection.flush();
    }
  }
}
