// Dashboard sessions in the Redis that several instances share, so that a browser
// behind a load balancer stays signed in whichever instance answers, and a sign-out
// on one ends the session on all. Why not a signed cookie with a key derived from
// the token: a signed value cannot be taken back, so sign-out needs shared state
// anyway, and Redis is already there. One key per session, expiring with it (Redis's
// clock), plus an index that keeps their number bounded: past `maxSessions` the
// oldest are deleted. Sessions here outlive a restart of any one instance (that is
// the point); a new token, Redis's data being lost, sign-out or expiry end them.

import type { SessionLimits, SessionStore } from '../http/sessions.ts';
import { DEFAULT_SESSION_LIMITS, newSessionId, sessionKey } from '../http/sessions.ts';
import { LuaScript } from '../store/redis/lua-script.ts';
import { closeRedis, connectRedis, redisAnswer, type RedisClient } from '../store/redis/redis-connection.ts';
import { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from '../store/redis/redis-keys.ts';

// KEYS: the session, the index.  ARGV: the session's key, ttl (ms), max sessions, the
// prefix of session keys (to delete the ones the cap evicts), the session's owner.
const CREATE = new LuaScript(`
local time = redis.call('TIME')
local ttl = tonumber(ARGV[2])
-- Scores are microseconds, made strictly increasing so that sessions created within
-- one clock tick still leave in the order they came (equal scores sort by id).
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')[2]
if last and tonumber(last) >= now then now = tonumber(last) + 1 end
redis.call('SET', KEYS[1], ARGV[5], 'PX', ttl)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ttl * 1000)
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if excess > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do
    redis.call('DEL', ARGV[4] .. member)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
`);

const COMMAND_TIMEOUT_MS = 2_000;

export interface RedisSessionOptions extends Partial<SessionLimits> {
  url: string;
  keyPrefix?: string;
  log?: (line: string) => void;
}

/** Connect; rejects ('unavailable') when Redis cannot be reached. */
export async function openRedisSessions(options: RedisSessionOptions): Promise<RedisSessionStore> {
  const client = await connectRedis(options.url, {
    role: 'sessions',
    failWhileOffline: true,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
    log: options.log ?? ((line: string) => console.error(line)),
  });
  return new RedisSessionStore(client, redisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX), options);
}

export class RedisSessionStore implements SessionStore {
  readonly ttlMs: number;
  readonly #maxSessions: number;
  readonly #client: RedisClient;
  readonly #keys: RedisKeys;

  constructor(client: RedisClient, keys: RedisKeys, limits: Partial<SessionLimits> = {}) {
    this.#client = client;
    this.#keys = keys;
    this.ttlMs = limits.ttlMs ?? DEFAULT_SESSION_LIMITS.ttlMs;
    this.#maxSessions = limits.maxSessions ?? DEFAULT_SESSION_LIMITS.maxSessions;
  }

  async create(owner = 'server'): Promise<string> {
    const id = newSessionId();
    const key = sessionKey(id)!;
    const args = [key, String(this.ttlMs), String(this.#maxSessions), this.#keys.session(''), owner];
    await this.#run('create a session', CREATE.run(this.#client, [this.#keys.session(key), this.#keys.sessionIndex], args));
    return id;
  }

  async isLive(id: string): Promise<boolean> {
    return (await this.ownerOf(id)) !== null;
  }

  async ownerOf(id: string): Promise<string | null> {
    const key = sessionKey(id);
    if (key === null) return null;
    const owner = await this.#run('check a session', this.#client.sendCommand<string | null>(['GET', this.#keys.session(key)]));
    // Sessions made before sessions had owners hold "1": only the server's token signed in then.
    return owner === null ? null : owner === '1' ? 'server' : String(owner);
  }

  async end(id: string): Promise<void> {
    const key = sessionKey(id);
    if (key === null) return;
    await this.#run('end a session', this.#client.sendCommand(['DEL', this.#keys.session(key)]));
    await this.#run('end a session', this.#client.sendCommand(['ZREM', this.#keys.sessionIndex, key]));
  }

  async close(): Promise<void> {
    await closeRedis(this.#client);
  }

  #run<T>(what: string, pending: Promise<T>): Promise<T> {
    return redisAnswer(what, pending, COMMAND_TIMEOUT_MS);
  }
}
