// How many event streams may be open: in total (each is a socket, a file descriptor
// and a queue) and per client address (so one client cannot take them all). A
// stream takes a slot before it opens and gives it back when its response closes.
// Loopback clients are exempt from the per-client cap by default: every local
// process (the desktop app, scripts, a benchmark) shares 127.0.0.1.

import { HeraldError } from '../protocol/errors.ts';
import type { ServerLimits } from '../server-limits.ts';

export type SubscriberLimitOptions = Pick<ServerLimits, 'maxSubscribers' | 'maxSubscribersPerClient' | 'limitLoopbackSubscribers'>;

/** Seconds a refused client is told to wait before it tries again. */
const RETRY_AFTER_SEC = 5;

export class SubscriberLimits {
  readonly #options: SubscriberLimitOptions;
  readonly #byClient = new Map<string, number>();
  #total = 0;

  constructor(options: SubscriberLimitOptions) {
    this.#options = options;
  }

  get total(): number {
    return this.#total;
  }

  /** Open streams of one address. */
  of(address: string): number {
    return this.#byClient.get(address) ?? 0;
  }

  /** Take a slot for `client`, or throw 503 (server full) or 429 (this client has too many). The returned release is idempotent. */
  admit(client: { address: string; loopback: boolean }): () => void {
    const { maxSubscribers, maxSubscribersPerClient, limitLoopbackSubscribers } = this.#options;
    if (this.#total >= maxSubscribers) {
      throw new HeraldError('unavailable', `expected fewer than ${maxSubscribers} open event streams on this server, got ${this.#total}; retry later`, {
        retryAfterSec: RETRY_AFTER_SEC,
      });
    }
    const counted = !client.loopback || limitLoopbackSubscribers;
    const mine = this.of(client.address);
    if (counted && mine >= maxSubscribersPerClient) {
      throw new HeraldError(
        'too_many',
        `expected at most ${maxSubscribersPerClient} open event streams from one client, got ${mine} from ${client.address}; carry several topics on one connection (?topics=a,b)`,
        { retryAfterSec: RETRY_AFTER_SEC },
      );
    }
    this.#total++;
    this.#byClient.set(client.address, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = this.of(client.address) - 1;
      if (left > 0) this.#byClient.set(client.address, left);
      else this.#byClient.delete(client.address);
    };
  }
}
