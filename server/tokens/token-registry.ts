// A running server's view of the named tokens: every token of the store, kept in
// memory by the SHA-256 of its secret, read again whenever the store's version
// changes. The version is asked every `pollMs` (1 s), so `herald token add` or
// `revoke` takes effect within about a second on every instance, with no restart;
// a secret that matches nothing also makes the registry look again at once (one look
// at a time, shared by the requests that wait for it; failed tries are throttled per
// address by server/http/auth-failures.ts), so a token just added works on its first
// request.
//
// Each tick also writes when and from where each token was last used (one write per
// tick, not one per request) and tells listeners, which close what a token that is
// no longer live still holds open (server/http/auth.ts).

import type { Access } from '../http/access.ts';
import { RateLimiter } from '../http/rate-limit.ts';
import type { Clock } from '../protocol/clock.ts';
import { errorText } from '../protocol/errors.ts';
import { scopedAccess } from './scoped-access.ts';
import { secretHash, tokenState, type TokenRecord, type TokenState } from './token-record.ts';
import type { TokenStore, TokenUse } from './token-store.ts';

export interface TokenRegistryOptions {
  clock: Clock;
  /** How often the store's version is asked (default 1000 ms). */
  pollMs?: number;
  /** How soon after a look a secret that matches nothing may make the registry look again (default 0: at once). */
  missRefreshMs?: number;
  /** One line when the store cannot be read (and one when it can again). */
  log?: (line: string) => void;
}

export type TokenLookup = { record: TokenRecord; state: TokenState } | null;

export class TokenRegistry {
  readonly store: TokenStore;
  readonly #clock: Clock;
  readonly #pollMs: number;
  readonly #missRefreshMs: number;
  readonly #log: (line: string) => void;
  #byHash = new Map<string, TokenRecord>();
  #byName = new Map<string, TokenRecord>();
  readonly #access = new Map<string, Access>();
  readonly #limits = new Map<string, RateLimiter>();
  #uses = new Map<string, TokenUse>();
  #version: string | null = null;
  #lastLook = -Infinity;
  #looking: Promise<void> | null = null;
  #failing = false;
  #timer: unknown = null;
  readonly #listeners = new Set<() => void>();

  private constructor(store: TokenStore, options: TokenRegistryOptions) {
    this.store = store;
    this.#clock = options.clock;
    this.#pollMs = options.pollMs ?? 1000;
    this.#missRefreshMs = options.missRefreshMs ?? 0;
    this.#log = options.log ?? ((line) => console.error(line));
  }

  /** Read every token, then keep watching the store. */
  static async open(store: TokenStore, options: TokenRegistryOptions): Promise<TokenRegistry> {
    const registry = new TokenRegistry(store, options);
    await registry.#reload(await store.version());
    registry.#timer = options.clock.setInterval(() => void registry.tick(), registry.#pollMs);
    return registry;
  }

  /** Tokens known, whatever their state. */
  get size(): number {
    return this.#byName.size;
  }

  /** The token whose secret is `secret`, with its state; null when none. */
  find(secret: string): TokenLookup {
    const record = this.#byHash.get(secretHash(secret));
    return record === undefined ? null : { record, state: tokenState(record, this.#clock.now()) };
  }

  /** Like find, but on a miss looks at the store again first (a token added a moment ago). */
  async findFresh(secret: string): Promise<TokenLookup> {
    const found = this.find(secret);
    if (found !== null || (this.#missRefreshMs > 0 && this.#clock.now() - this.#lastLook < this.#missRefreshMs)) return found;
    await this.#look();
    return this.find(secret);
  }

  stateOf(name: string): TokenState | 'unknown' {
    const record = this.#byName.get(name);
    return record === undefined ? 'unknown' : tokenState(record, this.#clock.now());
  }

  /** The Access of the live token `name`, or null when it is not live (revoked, expired, unknown). */
  accessOf(name: string): Access | null {
    if (this.stateOf(name) !== 'live') return null;
    let access = this.#access.get(name);
    if (access === undefined) {
      const record = this.#byName.get(name)!;
      access = scopedAccess({ name, scopes: record.scopes, defaultTopic: record.defaultTopic });
      this.#access.set(name, access);
    }
    return access;
  }

  /** Count one request against the token's own rate limit, if it has one (429 past it). */
  takeRequest(name: string): void {
    const limit = this.#byName.get(name)?.rateLimit ?? null;
    if (limit === null) return;
    let limiter = this.#limits.get(name);
    if (limiter === undefined || limiter.options.perSec !== limit) {
      limiter = new RateLimiter({ perSec: limit, burst: Math.max(1, Math.ceil(limit)), includeLoopback: true }, this.#clock, `requests a second with the token "${name}"`);
      this.#limits.set(name, limiter);
    }
    limiter.take({ address: name, loopback: false });
  }

  /** Remember a use; written to the store on the next tick. */
  recordUse(name: string, from: string): void {
    this.#uses.set(name, { name, at: this.#clock.now(), from });
  }

  /** Called on every tick, after the store has been read. */
  onTick(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** One poll: write the uses, read the store if it changed, tell listeners. */
  async tick(): Promise<void> {
    const uses = [...this.#uses.values()];
    this.#uses = new Map();
    try {
      await this.store.recordUse(uses);
    } catch (error) {
      this.#report(error);
    }
    await this.#look();
    for (const listener of this.#listeners) listener();
  }

  async close(): Promise<void> {
    if (this.#timer !== null) this.#clock.clearInterval(this.#timer);
    this.#timer = null;
    await this.#looking?.catch(() => {});
    await this.store.recordUse([...this.#uses.values()]).catch(() => {});
    await this.store.close();
  }

  /** Ask the version and read everything again when it moved; one look at a time. */
  #look(): Promise<void> {
    this.#looking ??= (async () => {
      try {
        this.#lastLook = this.#clock.now();
        const version = await this.store.version();
        if (version !== this.#version) await this.#reload(version);
        if (this.#failing) this.#log('herald: the token store answers again');
        this.#failing = false;
      } catch (error) {
        // The tokens already read keep working; the next tick asks again.
        this.#report(error);
      } finally {
        this.#looking = null;
      }
    })();
    return this.#looking;
  }

  async #reload(version: string): Promise<void> {
    const records = await this.store.list();
    this.#byHash = new Map(records.map((r) => [r.hash, r]));
    this.#byName = new Map(records.map((r) => [r.name, r]));
    this.#access.clear();
    this.#version = version;
  }

  #report(error: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#log(`herald: cannot read the token store (${errorText(error)}); the tokens read before keep their state until it answers`);
  }
}
