// Failed authentications per client address, so a token cannot be guessed at the
// speed of the network. Every way of presenting a credential counts the same: a
// wrong or malformed Bearer header, a session cookie this server does not know, a
// wrong token in the login form. A request with no credential at all is not a guess
// and is not counted.
//
// A client may fail `freeFailures` times; after that each further failure makes it
// wait, 1 s, then 2, 4, ... up to `maxDelayMs`, and while it waits every try it makes
// is answered 429 with Retry-After WITHOUT being checked, so waiting is the only way
// on. A client quiet for `forgetAfterMs` starts again from zero. A success does not
// reset the count: on a shared address (loopback, a proxy) it would let a guesser
// ride on someone else's successes.
//
// Addresses are grouped the way a client can change them: every loopback address
// (127.0.0.0/8 and ::1) is one client, since any local program can pick any of them;
// an IPv6 client is its /64, which one host usually holds whole.

import { isIP } from 'node:net';
import type { Clock } from '../protocol/clock.ts';
import { HeraldError } from '../protocol/errors.ts';
import { isLoopbackAddress } from './client-address.ts';

export interface AuthFailureOptions {
  /** Failed tries a client may make before it has to wait. */
  freeFailures: number;
  /** The first wait; every further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A client with no failure for this long is forgotten (starts from zero). */
  forgetAfterMs: number;
  /** Clients remembered at most; past it, the one whose last failure is oldest is forgotten. */
  maxClients: number;
}

export const DEFAULT_AUTH_FAILURES: AuthFailureOptions = {
  freeFailures: 5,
  firstDelayMs: 1000,
  maxDelayMs: 10 * 60_000,
  forgetAfterMs: 30 * 60_000,
  maxClients: 10_000,
};

interface Failures {
  failures: number;
  lastFailure: number;
  waitUntil: number;
}

/** The group an address is counted in: `loopback`, an IPv4 address, or an IPv6 /64. */
export function failureGroup(address: string): string {
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  if (isLoopbackAddress(plain)) return 'loopback';
  if (isIP(plain) !== 6) return plain;
  const [head = '', tail = ''] = plain.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = plain.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}

export class AuthFailureLimiter {
  readonly options: AuthFailureOptions;
  readonly #clock: Clock;
  /** By group, in order of last failure (oldest first). */
  readonly #clients = new Map<string, Failures>();

  constructor(options: Partial<AuthFailureOptions> = {}, clock: Clock) {
    this.options = { ...DEFAULT_AUTH_FAILURES, ...options };
    this.#clock = clock;
  }

  /** How many clients are remembered (bounded by `maxClients`). */
  get size(): number {
    return this.#clients.size;
  }

  /** Throws 429 with the seconds to wait while `address` must wait before its next try. */
  assertMayTry(address: string): void {
    const record = this.#current(failureGroup(address));
    if (record === undefined) return;
    const waitMs = record.waitUntil - this.#clock.now();
    if (waitMs <= 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    throw new HeraldError(
      'rate_limited',
      `expected at most ${this.options.freeFailures} failed authentications from one address before a pause, got ${record.failures}; retry in ${seconds} s`,
      { retryAfterSec: waitMs / 1000 },
    );
  }

  /** Count one failed try by `address`. */
  recordFailure(address: string): void {
    const group = failureGroup(address);
    const now = this.#clock.now();
    const record = this.#current(group) ?? { failures: 0, lastFailure: now, waitUntil: 0 };
    record.failures++;
    record.lastFailure = now;
    const { freeFailures, firstDelayMs, maxDelayMs } = this.options;
    if (record.failures > freeFailures) {
      const doublings = Math.min(record.failures - freeFailures - 1, 30);
      record.waitUntil = now + Math.min(firstDelayMs * 2 ** doublings, maxDelayMs);
    }
    // Re-inserted, so the map stays in order of last failure.
    this.#clients.delete(group);
    this.#makeRoom();
    this.#clients.set(group, record);
  }

  /** The group's record, unless it has been quiet long enough to be forgotten. */
  #current(group: string): Failures | undefined {
    const record = this.#clients.get(group);
    if (record === undefined) return undefined;
    if (this.#clock.now() - record.lastFailure < this.options.forgetAfterMs) return record;
    this.#clients.delete(group);
    return undefined;
  }

  /** Forget the clients whose last failure is oldest until one more fits. */
  #makeRoom(): void {
    for (const group of this.#clients.keys()) {
      if (this.#clients.size < this.options.maxClients) return;
      this.#clients.delete(group);
    }
  }
}
