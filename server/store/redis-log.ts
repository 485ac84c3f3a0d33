// The EventLog over Redis (docs/scaling.md): one stream holds every event of every topic, and
// its entry ids are the event ids. Why one stream and not one per topic (docs/scaling.md,
// "How it works"): stream ids then totally order all events, so one
// `Last-Event-ID` resumes a connection that multiplexes many topics and wildcards, on
// any instance; each instance needs one blocking XREAD, whatever topics its clients
// watch; and every instance fans out in the same order.
//
// append() resolves when Redis has the events; listeners hear them from the tail
// (stream-tailer.ts), which also delivers other instances' events, so a publishing
// instance sees its own events exactly once, in stream order.

import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import type { TopicFilter } from '../protocol/topics.ts';
import { systemClock, type Clock } from '../protocol/clock.ts';
import type { EventLog, GapInfo, RetentionPolicy, TopicState } from './event-log.ts';
import { errorText } from '../protocol/errors.ts';
import { appendEvents } from './redis/append-script.ts';
import { findGaps } from './redis/gap-finder.ts';
import {
  answerWithin,
  closeRedis,
  connectRedis,
  redisFailure,
  type RedisClient,
} from './redis/redis-connection.ts';
import { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from './redis/redis-keys.ts';
import { decodeEntry, entriesFromMessages, type StreamEntry } from './redis/stream-entry.ts';
import { readTopicsAfter } from './redis/exact-topic-reader.ts';
import { compareStreamIds, isStreamId, STREAM_START } from './redis/stream-id.ts';
import { StreamTailer } from './redis/stream-tailer.ts';
import { pruneByAge, redisNowMs } from './redis/age-retention.ts';
import { readTopicState, readTopicStates } from './redis/topic-states.ts';

export interface RedisLogOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  retention: RetentionPolicy;
  /** Cap of the whole stream (XADD MAXLEN ~), which bounds Redis memory. */
  maxStreamLength?: number;
  /** Prefix of every key (default `herald:`), so deployments can share a database. */
  keyPrefix?: string;
  /** A command without an answer after this long fails as 'unavailable' (503). */
  commandTimeoutMs?: number;
  /** How often age retention runs (its cutoff comes from Redis's clock, the one in stream ids). */
  pruneIntervalMs?: number;
  /** How long one XREAD of the tail blocks. */
  tailBlockMs?: number;
  clock?: Clock;
  log?: (line: string) => void;
}

export const REDIS_LOG_DEFAULTS = {
  maxStreamLength: 100_000,
  commandTimeoutMs: 2_000,
  pruneIntervalMs: 60_000,
  tailBlockMs: 5_000,
} as const;

const READ_BATCH = 500;
const TAIL_TIMEOUT_MARGIN_MS = 5_000;

/** Connect both connections and start tailing; rejects ('unavailable') when Redis cannot be reached. */
export async function openRedisLog(options: RedisLogOptions): Promise<RedisEventLog> {
  const log = options.log ?? ((line: string) => console.error(line));
  const commandTimeoutMs = options.commandTimeoutMs ?? REDIS_LOG_DEFAULTS.commandTimeoutMs;
  const commands = await connectRedis(options.url, {
    role: 'commands',
    failWhileOffline: true,
    commandTimeoutMs,
    log,
  });
  let tail: RedisClient;
  try {
    // The tail's XREAD blocks for tailBlockMs by design; only a reply much later
    // than that means the link is dead (then the tailer asks again from its last id).
    const tailTimeoutMs = (options.tailBlockMs ?? REDIS_LOG_DEFAULTS.tailBlockMs) + TAIL_TIMEOUT_MARGIN_MS;
    tail = await connectRedis(options.url, { role: 'tail', failWhileOffline: false, commandTimeoutMs: tailTimeoutMs, log });
  } catch (error) {
    await closeRedis(commands);
    throw error;
  }
  const keys = redisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  let newest: string;
  try {
    newest = (await answerWithin(newestId(commands, keys), commandTimeoutMs)) ?? STREAM_START;
  } catch (error) {
    await Promise.all([closeRedis(commands), closeRedis(tail)]);
    throw redisFailure(error, 'read the stream');
  }
  return new RedisEventLog(commands, tail, keys, newest, options, log);
}

async function newestId(client: RedisClient, keys: RedisKeys): Promise<string | null> {
  const [last] = (await client.xRevRange(keys.stream, '+', '-', { COUNT: 1 })) ?? [];
  return last === undefined ? null : String(last.id);
}

export class RedisEventLog implements EventLog {
  readonly kind = 'redis' as const;
  readonly #commands: RedisClient;
  readonly #keys: RedisKeys;
  readonly #retention: RetentionPolicy;
  readonly #maxStreamLength: number;
  readonly #commandTimeoutMs: number;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;
  readonly #listeners = new Set<(events: readonly HeraldEvent[]) => void>();
  readonly #tailer: StreamTailer;
  readonly #pruneTimer: unknown;
  #closed = false;

  constructor(
    commands: RedisClient,
    tail: RedisClient,
    keys: RedisKeys,
    tailAfter: string,
    options: RedisLogOptions,
    log: (line: string) => void,
  ) {
    this.#commands = commands;
    this.#keys = keys;
    this.#retention = options.retention;
    this.#maxStreamLength = options.maxStreamLength ?? REDIS_LOG_DEFAULTS.maxStreamLength;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? REDIS_LOG_DEFAULTS.commandTimeoutMs;
    this.#clock = options.clock ?? systemClock;
    this.#log = log;
    this.#tailer = new StreamTailer(tail, keys.stream, tailAfter, (events) => this.#emit(events), {
      blockMs: options.tailBlockMs ?? REDIS_LOG_DEFAULTS.tailBlockMs,
      batchSize: READ_BATCH,
      retryMs: 250,
      log,
    });
    this.#tailer.start();
    this.#pruneTimer = this.#clock.setInterval(() => {
      this.prune().catch((error: unknown) => this.#log(`herald: Redis retention failed: ${errorText(error)}`));
    }, options.pruneIntervalMs ?? REDIS_LOG_DEFAULTS.pruneIntervalMs);
  }

  /** True while the command connection is up (publishes would succeed). */
  get available(): boolean {
    return this.#commands.isReady;
  }

  async append(events: readonly NewEvent[]): Promise<HeraldEvent[]> {
    this.#assertOpen();
    if (events.length === 0) return [];
    const ids = await this.#call('append events', (client) => appendEvents(client, this.#keys, this.#limits(), events));
    return events.map((event, index) => ({ ...event, id: ids[index] ?? '' }) as HeraldEvent);
  }

  onEvents(listener: (events: readonly HeraldEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async readAfter(since: string | null, filter: TopicFilter, limit: number): Promise<HeraldEvent[]> {
    this.#assertOpen();
    if (filter.allExact) {
      const topics = filter.exactTopics;
      const entries = await this.#call('read events', (client) => readTopicsAfter(client, this.#keys, topics, since, limit));
      return this.#decodeMatching(entries, filter, limit, []);
    }
    // Patterns: walk the stream a page at a time, each page one bounded command.
    const found: HeraldEvent[] = [];
    let start = since === null ? '-' : `(${since}`;
    while (found.length < limit) {
      const from = start;
      const page = entriesFromMessages(
        (await this.#call('read events', (client) => client.xRange(this.#keys.stream, from, '+', { COUNT: READ_BATCH }))) ?? [],
      );
      this.#decodeMatching(page, filter, limit, found);
      const last = page[page.length - 1];
      if (page.length < READ_BATCH || last === undefined) break;
      start = `(${last.id}`;
    }
    return found;
  }

  async gapsAfter(since: string, filter: TopicFilter): Promise<GapInfo[]> {
    this.#assertOpen();
    return this.#call('find retention gaps', (client) => findGaps(client, this.#keys, since, filter));
  }

  async topics(): Promise<TopicState[]> {
    this.#assertOpen();
    return this.#call('read topics', (client) => readTopicStates(client, this.#keys, this.#listedSince()));
  }

  async topic(name: string): Promise<TopicState | null> {
    this.#assertOpen();
    return this.#call(`read topic ${name}`, (client) => readTopicState(client, this.#keys, name, this.#listedSince()));
  }

  async lastId(): Promise<string | null> {
    this.#assertOpen();
    return this.#call('read the newest id', (client) => newestId(client, this.#keys));
  }

  isValidId(raw: string): boolean {
    return isStreamId(raw);
  }

  compareIds(a: string, b: string): number {
    return compareStreamIds(a, b);
  }

  async prune(): Promise<void> {
    this.#assertOpen();
    await this.#call('apply retention', async (client) => {
      const now = await redisNowMs(client);
      const { maxAgeMs } = this.#retention;
      await pruneByAge(client, this.#keys, { dropEventsBefore: now - maxAgeMs, forgetTopicsBefore: now - 2 * maxAgeMs });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.clearInterval(this.#pruneTimer);
    this.#listeners.clear();
    await this.#tailer.stop();
    await closeRedis(this.#commands);
  }

  /** Append to `found` the events of `entries` that `filter` matches, up to `limit`. */
  #decodeMatching(entries: readonly StreamEntry[], filter: TopicFilter, limit: number, found: HeraldEvent[]): HeraldEvent[] {
    for (const entry of entries) {
      if (found.length >= limit) break;
      const topic = entry.fields.topic;
      if (topic === undefined || !filter.matches(topic)) continue;
      const event = decodeEntry(entry);
      if (typeof event === 'string') this.#log(`herald: skipped ${event}`);
      else found.push(event);
    }
    return found;
  }

  /** One use of the command connection: bounded in time, failures as HeraldError. */
  async #call<T>(what: string, use: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await answerWithin(use(this.#commands), this.#commandTimeoutMs);
    } catch (error) {
      throw redisFailure(error, what);
    }
  }

  /**
   * Topics with no event since this time are not listed: their events are past
   * maxAgeMs (prune drops them). This instance's clock against stream ids from Redis's:
   * a skew of seconds does not matter against an age of days.
   */
  #listedSince(): number {
    return this.#clock.now() - this.#retention.maxAgeMs;
  }

  #limits() {
    return { maxStreamLength: this.#maxStreamLength, maxEventsPerTopic: this.#retention.maxEventsPerTopic };
  }

  #emit(events: readonly HeraldEvent[]): void {
    for (const listener of this.#listeners) {
      try {
        listener(events);
      } catch (error) {
        // One listener's bug must not starve the others (or stop the tail).
        this.#log(`herald: a listener failed on events from Redis: ${errorText(error)}`);
      }
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('this RedisEventLog is closed; open a new one with openRedisLog()');
  }
}
