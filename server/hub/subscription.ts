// One client's subscription: its topic filter, its connection, and where it is in
// the stream. It starts `replaying`: live events are held back while the backlog is
// read from the log, then released minus any the backlog already sent, so replay and
// live delivery can neither lose nor repeat an event; held events and replay bytes
// not yet taken by the socket count against one limit. It also tracks which of its
// exact topics have ended, so the connection closes when all of them have.
// Other kinds of stream (ntfy's) bring their own format and heartbeat, may filter
// events, and do not end with their topics.

import type { HeraldEvent } from '../protocol/events.ts';
import type { TopicFilter } from '../protocol/topics.ts';
import type { SseConnection } from './sse-connection.ts';
import { HERALD_HEARTBEAT, HERALD_SSE, type HeldEvent, type StreamFormat } from './stream-format.ts';

export class Subscription {
  readonly filter: TopicFilter;
  readonly connection: SseConnection;
  /** How this stream writes events (shared with every subscriber of the same format). */
  readonly format: StreamFormat;
  /** The frame the hub's heartbeat sends on this stream. */
  readonly heartbeat: () => Buffer;
  readonly #accepts: ((event: HeraldEvent) => boolean) | null;
  readonly #compareIds: (a: string, b: string) => number;
  #replaying = true;
  #held: HeldEvent[] = [];
  #heldBytes = 0;
  readonly #maxHeldBytes: number;
  /** The newest id sent; live events at or before it were already sent by replay. */
  #lastSentId: string | null = null;
  /** Set until a live event passes the replay's last id (a shared log's tail may lag). */
  #dedupeUntilPast = false;
  /** Exact topics not ended; null when a wildcard keeps the connection open for good. */
  readonly #openTopics: Set<string> | null;

  constructor(options: {
    filter: TopicFilter;
    connection: SseConnection;
    compareIds(a: string, b: string): number;
    maxHeldBytes: number;
    /** Default: Herald's SSE frames and `: hb` heartbeat. */
    format?: StreamFormat;
    heartbeat?: () => Buffer;
    /** Only events this accepts are sent (default: all). */
    accepts?: (event: HeraldEvent) => boolean;
    /** Close once every topic asked for has ended (default true; Herald's own stream). */
    endsWithTopics?: boolean;
  }) {
    this.filter = options.filter;
    this.connection = options.connection;
    this.#compareIds = options.compareIds;
    this.#maxHeldBytes = options.maxHeldBytes;
    this.format = options.format ?? HERALD_SSE;
    this.heartbeat = options.heartbeat ?? (() => HERALD_HEARTBEAT);
    this.#accepts = options.accepts ?? null;
    this.#openTopics = options.filter.allExact && options.endsWithTopics !== false ? new Set(options.filter.exactTopics) : null;
  }

  get replaying(): boolean {
    return this.#replaying;
  }

  /** Bytes of live events held back for the end of replay. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** True when live events are being held back for the end of replay. */
  get holding(): boolean {
    return this.#held.length > 0;
  }

  get lastSentId(): string | null {
    return this.#lastSentId;
  }

  /** The client already has everything up to `id` (its resume id). */
  resumeAfter(id: string): void {
    this.#lastSentId = id;
  }

  /** Record which exact topics had already ended before this subscription began. */
  markEnded(topics: Iterable<string>): void {
    for (const topic of topics) this.#openTopics?.delete(topic);
  }

  /** True when every topic asked for has ended (never with a wildcard). */
  get allEnded(): boolean {
    return this.#openTopics !== null && this.#openTopics.size === 0;
  }

  /** Whether this stream carries `event` at all (ntfy's filters); the hub asks before `deliver`. */
  accepts(event: HeraldEvent): boolean {
    return this.#accepts === null || this.#accepts(event);
  }

  /**
   * A live event from the hub, which this stream `accepts`; false if the connection
   * overflowed and was dropped.
   */
  deliver(held: HeldEvent): boolean {
    if (this.#replaying) {
      this.#held.push(held);
      this.#heldBytes += held.frame.length;
      // Held events and the replay the socket has not taken yet share one limit.
      if (this.#heldBytes + this.connection.pendingBytes > this.#maxHeldBytes) {
        this.connection.close('overflow');
        return false;
      }
      return true;
    }
    if (this.#dedupeUntilPast && this.#lastSentId !== null) {
      if (this.#compareIds(held.event.id, this.#lastSentId) <= 0) return true;
      this.#dedupeUntilPast = false;
    }
    return this.#send(held);
  }

  /** An event read from the log during replay. */
  sendReplayed(held: HeldEvent): boolean {
    if (!this.accepts(held.event)) return true;
    return this.#send(held);
  }

  /** A frame that is not an event of the log (a gap notice): sent without moving the cursor. */
  sendNotice(frame: Buffer): boolean {
    return this.connection.enqueue(frame);
  }

  /** Replay is done: release held live events that replay did not already send. */
  goLive(): void {
    const held = this.#held;
    this.#held = [];
    this.#heldBytes = 0;
    this.#replaying = false;
    this.#dedupeUntilPast = true;
    for (const item of held) if (!this.deliver(item)) return;
  }

  /** After a flush: close the response once every topic has ended. */
  closeIfAllEnded(): void {
    if (!this.#replaying && this.allEnded) this.connection.endAfterFlush();
  }

  #send(held: HeldEvent): boolean {
    const { event } = held;
    if (!this.connection.enqueue(held.frame)) return false;
    this.#lastSentId = event.id;
    if (this.#openTopics !== null) {
      if (event.type === 'end') this.#openTopics.delete(event.data.topic);
      else this.#openTopics.add(event.data.topic);
    }
    return true;
  }
}
