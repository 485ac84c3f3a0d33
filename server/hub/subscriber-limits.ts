// How many event streams may be open: in total (each is a socket, a file descriptor
// and a queue) and per client address (so one client cannot take them all). A
// stream takes a slot before it opens and gives it back when its response closes.
// Loopback clients count as one client with a cap of their own, larger than a
// remote address's: every local process (the desktop app, dashboards, scripts)
// shares it, and any local account can connect from every address of 127.0.0.0/8.

import { HeraldError } from '../protocol/errors.ts';
import type { ServerLimits } from '../server-limits.ts';

export type SubscriberLimitOptions = Pick<ServerLimits, 'maxSubscribers' | 'maxSubscribersPerClient' | 'maxLoopbackSubscribers'>;

/** The key loopback clients are counted under, whatever their address. */
export const LOOPBACK = 'loopback';

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

  /** Open streams of one address (or of every loopback address, under LOOPBACK). */
  of(address: string): number {
    return this.#byClient.get(address) ?? 0;
  }

  /** Take a slot for `client`, or throw 503 (server full) or 429 (this client has too many). The returned release is idempotent. */
  admit(client: { address: string; loopback: boolean }): () => void {
    const { maxSubscribers, maxSubscribersPerClient, maxLoopbackSubscribers } = this.#options;
    if (this.#total >= maxSubscribers) {
      throw new HeraldError('unavailable', `expected fewer than ${maxSubscribers} open event streams on this server, got ${this.#total}; retry later`, {
        retryAfterSec: RETRY_AFTER_SEC,
      });
    }
    const key = client.loopback ? LOOPBACK : client.address;
    const cap = client.loopback ? maxLoopbackSubscribers : maxSubscribersPerClient;
    const mine = this.of(key);
    if (mine >= cap) {
      const from = client.loopback ? 'loopback clients together (127.0.0.0/8 and ::1)' : `one client, got ${mine} from ${client.address}`;
      throw new HeraldError(
        'too_many',
        `expected at most ${cap} open event streams from ${from}${client.loopback ? `, got ${mine}` : ''}; carry several topics on one connection (?topics=a,b)`,
        { retryAfterSec: RETRY_AFTER_SEC },
      );
    }
    this.#total++;
    this.#byClient.set(key, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = this.of(key) - 1;
      if (left > 0) this.#byClient.set(key, left);
      else this.#byClient.delete(key);
    };
  }
}
