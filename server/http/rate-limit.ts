// Per-client publish rate limit: a token bucket per address (`perSec` refill, `burst`
// capacity). Loopback clients are exempt by default: a local script or benchmark
// publishing thousands of messages a second is legitimate. Idle buckets are swept so
// many distinct clients cannot grow the map without bound.

import { HeraldError } from '../protocol/errors.ts';
import type { Clock } from '../protocol/clock.ts';

export interface RateLimitOptions {
  /** Sustained publishes per second per client; 0 turns the limit off. */
  perSec: number;
  /** Publishes a client may make at once before the rate applies. */
  burst: number;
  /** Apply the limit to loopback clients too (off by default). */
  includeLoopback: boolean;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSec: 10, burst: 60, includeLoopback: false };

interface Bucket {
  tokens: number;
  updated: number;
}

const MAX_BUCKETS = 10_000;

export class RateLimiter {
  readonly options: RateLimitOptions;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions, clock: Clock) {
    this.options = options;
    this.#clock = clock;
  }

  /** Take one publish from `client`'s bucket, or throw 429 with the seconds to wait. */
  take(client: { address: string; loopback: boolean }): void {
    const { perSec, burst, includeLoopback } = this.options;
    if (perSec <= 0 || (client.loopback && !includeLoopback)) return;
    const now = this.#clock.now();
    let bucket = this.#buckets.get(client.address);
    if (bucket === undefined) {
      if (this.#buckets.size >= MAX_BUCKETS) this.#sweep(now);
      bucket = { tokens: burst, updated: now };
      this.#buckets.set(client.address, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updated) / 1000) * perSec);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const waitSec = (1 - bucket.tokens) / perSec;
    throw new HeraldError('rate_limited', `expected at most ${perSec} publishes a second (burst ${burst}) from one client; retry in ${Math.ceil(waitSec)} s`, {
      retryAfterSec: waitSec,
    });
  }

  /** Forget buckets that have refilled completely (they behave like new ones). */
  #sweep(now: number): void {
    const { perSec, burst } = this.options;
    for (const [address, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.updated) / 1000) * perSec >= burst) this.#buckets.delete(address);
    }
  }
}
