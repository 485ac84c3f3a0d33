// Leadership over Redis: a lease, i.e. a key that holds this instance's id and
// expires unless renewed (https://redis.io/docs/latest/commands/set/, "Patterns":
// SET key value NX PX ttl takes it only when free). Renewal and release check the
// holder first, inside a script, so an instance never extends or deletes a lease
// that expired and was taken by another meanwhile.
//
// This instance counts itself leader only until `sentAt + ttl - margin`, where
// `sentAt` is when it sent the last successful take or renew: Redis can only have
// started the expiry later than that, so whatever the network does, this instance
// has stepped down before another can take over. When the leader dies, another
// instance takes over within ttl plus one attempt interval.

import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../protocol/clock.ts';
import { LuaScript } from '../store/redis/lua-script.ts';
import { errorText } from '../protocol/errors.ts';
import { answerWithin, closeRedis, connectRedis, type RedisClient } from '../store/redis/redis-connection.ts';
import { DEFAULT_KEY_PREFIX, redisKeys } from '../store/redis/redis-keys.ts';
import type { Leadership } from './leadership.ts';

// Take the lease when free, or renew it when this holder has it (also after this
// instance stepped down on a timeout while Redis, stalled, still had it).
// KEYS: the lease.  ARGV: holder, ttl (ms).
const CLAIM = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

// KEYS: the lease.  ARGV: holder.
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

export interface RedisLeaseOptions {
  url: string;
  /** What the lease is for; one leader per name (default `sources`). */
  name?: string;
  keyPrefix?: string;
  /** How long a lease lasts without renewal: the longest a dead leader is waited for. */
  ttlMs?: number;
  /** Who holds it, as stored in Redis (default host/pid/random). */
  holder?: string;
  clock?: Clock;
  log?: (line: string) => void;
}

export const LEASE_DEFAULTS = { name: 'sources', ttlMs: 10_000 } as const;

/** Connect and start competing for the lease; rejects ('unavailable') when Redis cannot be reached. */
export async function openRedisLease(options: RedisLeaseOptions): Promise<RedisLease> {
  const ttlMs = options.ttlMs ?? LEASE_DEFAULTS.ttlMs;
  const log = options.log ?? ((line: string) => console.error(line));
  const client = await connectRedis(options.url, {
    role: 'lease',
    failWhileOffline: true,
    commandTimeoutMs: Math.max(100, Math.floor(ttlMs / 3)),
    log,
  });
  const lease = new RedisLease(client, { ...options, ttlMs, log });
  await lease.attempt();
  return lease;
}

export class RedisLease implements Leadership {
  readonly key: string;
  readonly holder: string;
  readonly #client: RedisClient;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;
  readonly #listeners = new Set<(isLeader: boolean) => void>();
  #leader = false;
  #stepDownTimer: unknown = null;
  #attemptTimer: unknown;
  #attempting: Promise<void> | null = null;
  #closed = false;

  constructor(client: RedisClient, options: RedisLeaseOptions & { ttlMs: number; log: (line: string) => void }) {
    this.#client = client;
    this.#ttlMs = options.ttlMs;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log;
    this.key = redisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX).lease(options.name ?? LEASE_DEFAULTS.name);
    this.holder = options.holder ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    // Renew three times per ttl: two renewals may fail before leadership lapses.
    this.#attemptTimer = this.#clock.setInterval(() => void this.attempt(), Math.max(1, Math.floor(this.#ttlMs / 3)));
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  onChange(listener: (isLeader: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Take the lease if it is free, or renew it if ours; one attempt at a time. */
  attempt(): Promise<void> {
    this.#attempting ??= this.#attemptOnce().finally(() => (this.#attempting = null));
    return this.#attempting;
  }

  /** Stop competing and give the lease up, so another instance takes over now rather than after the ttl. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.clearInterval(this.#attemptTimer);
    await this.#attempting;
    const wasLeader = this.#leader;
    this.#setLeader(false);
    if (wasLeader) {
      try {
        await answerWithin(RELEASE.run(this.#client, [this.key], [this.holder]), this.#ttlMs);
      } catch (error) {
        this.#log(`herald: could not release the Redis lease ${this.key} (it expires by itself): ${errorText(error)}`);
      }
    }
    await closeRedis(this.#client);
  }

  async #attemptOnce(): Promise<void> {
    if (this.#closed) return;
    const sentAt = this.#clock.now();
    try {
      const reply = await answerWithin(
        CLAIM.run<number>(this.#client, [this.key], [this.holder, String(this.#ttlMs)]),
        this.#ttlMs / 3,
      );
      const won = Number(reply) === 1;
      if (this.#closed) return;
      if (won) {
        this.#holdUntil(sentAt + this.#ttlMs - this.#safetyMarginMs());
        this.#setLeader(true);
      } else if (this.#leader) {
        this.#log(`herald: the Redis lease ${this.key} was taken by another instance; stepping down`);
        this.#setLeader(false);
      }
    } catch (error) {
      // Leadership lapses on its own at the step-down time if Redis stays away.
      if (this.#leader) this.#log(`herald: renewing the Redis lease ${this.key} failed: ${errorText(error)}`);
    }
  }

  /** Clock rates differ a little between machines: give up leadership a bit early. */
  #safetyMarginMs(): number {
    return Math.max(50, Math.floor(this.#ttlMs / 10));
  }

  #holdUntil(deadline: number): void {
    if (this.#stepDownTimer !== null) this.#clock.clearTimeout(this.#stepDownTimer);
    this.#stepDownTimer = this.#clock.setTimeout(() => {
      this.#stepDownTimer = null;
      if (!this.#leader) return;
      this.#log(`herald: could not renew the Redis lease ${this.key} in time; stepping down`);
      this.#setLeader(false);
    }, Math.max(0, deadline - this.#clock.now()));
  }

  #setLeader(leader: boolean): void {
    if (leader === this.#leader) return;
    this.#leader = leader;
    if (!leader && this.#stepDownTimer !== null) {
      this.#clock.clearTimeout(this.#stepDownTimer);
      this.#stepDownTimer = null;
    }
    for (const listener of this.#listeners) {
      try {
        listener(leader);
      } catch (error) {
        this.#log(`herald: a leadership listener failed: ${errorText(error)}`);
      }
    }
  }
}
