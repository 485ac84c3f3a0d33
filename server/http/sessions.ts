// Dashboard sessions: what the login form's cookie holds instead of the token. A
// session id is 32 random bytes that mean nothing anywhere else; the server keeps
// only its SHA-256, so neither a memory dump nor the Redis keys hold a usable id.
// A session ends at sign-out, after `ttlMs`, when the store drops it to stay under
// `maxSessions` (oldest first), and, in memory, when the server stops. Over Redis
// (server/cluster/redis-sessions.ts) every instance sees the same sessions, so a
// browser behind a load balancer stays signed in whichever instance answers.

import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../protocol/clock.ts';

export interface SessionStore {
  /** How long a session lasts from its creation. */
  readonly ttlMs: number;
  /** A new session's id. */
  create(): Promise<string>;
  /** Whether `id` names a session that has not ended. */
  isLive(id: string): Promise<boolean>;
  end(id: string): Promise<void>;
  close(): Promise<void>;
}

export interface SessionLimits {
  ttlMs: number;
  maxSessions: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { ttlMs: 7 * 24 * 60 * 60 * 1000, maxSessions: 1000 };

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** What a store keeps for `id`; null for a value that cannot be a session id (never looked up). */
export function sessionKey(id: string): string | null {
  return SESSION_ID.test(id) ? createHash('sha256').update(id).digest('base64url') : null;
}

/** Sessions in this process: they end when it stops. */
export class MemorySessionStore implements SessionStore {
  readonly ttlMs: number;
  readonly #maxSessions: number;
  readonly #clock: Clock;
  /** Key -> expiry, oldest first. */
  readonly #sessions = new Map<string, number>();

  constructor(clock: Clock, limits: Partial<SessionLimits> = {}) {
    this.ttlMs = limits.ttlMs ?? DEFAULT_SESSION_LIMITS.ttlMs;
    this.#maxSessions = limits.maxSessions ?? DEFAULT_SESSION_LIMITS.maxSessions;
    this.#clock = clock;
  }

  get size(): number {
    return this.#sessions.size;
  }

  async create(): Promise<string> {
    const id = newSessionId();
    const now = this.#clock.now();
    for (const [key, expires] of this.#sessions) {
      if (expires > now && this.#sessions.size < this.#maxSessions) break;
      this.#sessions.delete(key);
    }
    this.#sessions.set(sessionKey(id)!, now + this.ttlMs);
    return id;
  }

  async isLive(id: string): Promise<boolean> {
    const key = sessionKey(id);
    const expires = key === null ? undefined : this.#sessions.get(key);
    if (expires === undefined) return false;
    if (expires > this.#clock.now()) return true;
    this.#sessions.delete(key!);
    return false;
  }

  async end(id: string): Promise<void> {
    const key = sessionKey(id);
    if (key !== null) this.#sessions.delete(key);
  }

  async close(): Promise<void> {
    this.#sessions.clear();
  }
}
