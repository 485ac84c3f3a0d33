// Follows the shared stream with XREAD BLOCK on a connection of its own (a blocked
// connection cannot carry other commands: https://redis.io/docs/latest/commands/xread/#blocking-for-data).
// Every instance's hub is fed from here, its own appends included, so every instance
// sees every event once, in the stream's order. The tailer remembers the last id it
// delivered: after a lost connection it asks again from that id, so an outage delays
// events but never drops or repeats one.

import type { HeraldEvent } from '../../protocol/events.ts';
import { errorText } from '../../protocol/errors.ts';
import type { RedisClient } from './redis-connection.ts';
import { decodeEntry, entriesFromMessages } from './stream-entry.ts';

export interface StreamTailerOptions {
  /** How long one XREAD waits for new entries before asking again. */
  blockMs: number;
  /** Entries per XREAD. */
  batchSize: number;
  /** Pause after a failed XREAD before the next try (node-redis is reconnecting meanwhile). */
  retryMs: number;
  log: (line: string) => void;
}

export class StreamTailer {
  readonly #client: RedisClient;
  readonly #stream: string;
  readonly #deliver: (events: readonly HeraldEvent[]) => void;
  readonly #options: StreamTailerOptions;
  #lastId: string;
  #running: Promise<void> | null = null;
  #stopping = false;
  #retryTimer: NodeJS.Timeout | null = null;
  #wakeRetry: (() => void) | null = null;

  constructor(
    client: RedisClient,
    stream: string,
    after: string,
    deliver: (events: readonly HeraldEvent[]) => void,
    options: StreamTailerOptions,
  ) {
    this.#client = client;
    this.#stream = stream;
    this.#lastId = after;
    this.#deliver = deliver;
    this.#options = options;
  }

  /** The id of the last entry delivered (or the starting point). */
  get lastId(): string {
    return this.#lastId;
  }

  start(): void {
    if (this.#running) throw new Error('StreamTailer.start() was called twice; create a new tailer instead');
    this.#running = this.#loop();
  }

  /** Stop tailing and close the tail's connection (it may be blocked in XREAD). */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#wakeRetry?.();
    // A blocked XREAD only returns when its socket goes away.
    if (this.#client.isOpen) this.#client.destroy();
    await this.#running;
  }

  async #loop(): Promise<void> {
    let failing = false;
    while (!this.#stopping) {
      try {
        const reply = await this.#client.xRead(
          { key: this.#stream, id: this.#lastId },
          { BLOCK: this.#options.blockMs, COUNT: this.#options.batchSize },
        );
        if (failing) this.#options.log(`herald: tailing the Redis stream again from ${this.#lastId}`);
        failing = false;
        if (reply) this.#take(reply as unknown as Array<{ messages: Array<{ id: unknown; message: unknown }> }>);
      } catch (error) {
        if (this.#stopping) break;
        if (!failing) {
          this.#options.log(`herald: reading the Redis stream failed after ${this.#lastId}: ${errorText(error)}; retrying`);
        }
        failing = true;
        await this.#pause();
      }
    }
  }

  #take(reply: Array<{ messages: Array<{ id: unknown; message: unknown }> }>): void {
    const events: HeraldEvent[] = [];
    for (const { messages } of reply) {
      for (const entry of entriesFromMessages(messages)) {
        this.#lastId = entry.id;
        const event = decodeEntry(entry);
        if (typeof event === 'string') this.#options.log(`herald: skipped ${event}`);
        else events.push(event);
      }
    }
    if (events.length === 0) return;
    try {
      this.#deliver(events);
    } catch (error) {
      // A listener's bug must not stop the tail for everyone else.
      this.#options.log(`herald: a listener failed on events from Redis: ${errorText(error)}`);
    }
  }

  #pause(): Promise<void> {
    return new Promise((resolve) => {
      this.#wakeRetry = resolve;
      this.#retryTimer = setTimeout(resolve, this.#options.retryMs);
    });
  }
}
