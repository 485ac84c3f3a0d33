// Named tokens in the Redis that several instances share (docs/scaling.md), so a
// token added or revoked once holds on every instance: one hash of tokens by name
// (the secret's SHA-256, never the secret), one of revocations, one of last uses,
// and a counter every
// add and revoke raises, which each instance reads every second
// (server/tokens/token-registry.ts). Adding and revoking are Lua scripts, so two
// `herald token add` of one name cannot both succeed.

import { HeraldError } from '../protocol/errors.ts';
import { LuaScript } from '../store/redis/lua-script.ts';
import { closeRedis, connectRedis, redisAnswer, type RedisClient } from '../store/redis/redis-connection.ts';
import { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from '../store/redis/redis-keys.ts';
import type { NewToken, TokenRecord } from './token-record.ts';
import { nameTaken, tokenFromStored, type RevokeOutcome, type TokenStore, type TokenUse } from './token-store.ts';

// KEYS: tokens, version.  ARGV: name, the token as JSON.  0 when the name is taken.
const ADD = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[2])
return 1
`);

// KEYS: tokens, revocations, version.  ARGV: name, time (ms).  0 unknown, 1 revoked now, 2 already revoked.
const REVOKE = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 2 end
redis.call('INCR', KEYS[3])
return 1
`);

const COMMAND_TIMEOUT_MS = 2_000;

/** What one hash field holds: a record without its revocation and last use (kept apart). */
type StoredToken = Omit<TokenRecord, 'revokedAt' | 'lastUsedAt' | 'lastUsedFrom'>;

export async function openRedisTokenStore(options: { url: string; keyPrefix?: string; log?: (line: string) => void }): Promise<RedisTokenStore> {
  const client = await connectRedis(options.url, {
    role: 'tokens',
    failWhileOffline: true,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
    log: options.log ?? ((line: string) => console.error(line)),
  });
  return new RedisTokenStore(client, redisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class RedisTokenStore implements TokenStore {
  readonly #client: RedisClient;
  readonly #keys: RedisKeys;

  constructor(client: RedisClient, keys: RedisKeys) {
    this.#client = client;
    this.#keys = keys;
  }

  async list(): Promise<TokenRecord[]> {
    const [tokens, revocations, uses] = await Promise.all(
      [this.#keys.tokens, this.#keys.tokenRevocations, this.#keys.tokenUses].map((key) => this.#run('read the tokens', this.#client.hGetAll(key))),
    );
    const records: TokenRecord[] = [];
    for (const [name, json] of Object.entries(tokens!)) {
      const stored = parseJson(json) as Partial<StoredToken> | null;
      if (stored === null || typeof stored.hash !== 'string') throw new HeraldError('internal', `the token "${name}" in Redis is not a token Herald stored (key ${this.#keys.tokens})`);
      const use = parseJson(uses![name] ?? 'null') as { at?: unknown; from?: unknown } | null;
      const revoked = revocations![name];
      records.push(
        tokenFromStored({
          name,
          hash: stored.hash,
          scopes: stored.scopes,
          createdAt: Number(stored.createdAt),
          expiresAt: typeof stored.expiresAt === 'number' ? stored.expiresAt : null,
          revokedAt: revoked === undefined ? null : Number(revoked),
          defaultTopic: typeof stored.defaultTopic === 'string' ? stored.defaultTopic : null,
          rateLimit: typeof stored.rateLimit === 'number' ? stored.rateLimit : null,
          lastUsedAt: typeof use?.at === 'number' ? use.at : null,
          lastUsedFrom: typeof use?.from === 'string' ? use.from : null,
        }),
      );
    }
    return records.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  }

  async add(token: NewToken & { hash: string; createdAt: number }): Promise<void> {
    const stored: StoredToken = { ...token };
    const added = await this.#run('add a token', ADD.run<number>(this.#client, [this.#keys.tokens, this.#keys.tokensVersion], [token.name, JSON.stringify(stored)]));
    if (added === 1) return;
    const revoked = await this.#run('add a token', this.#client.sendCommand<string | null>(['HGET', this.#keys.tokenRevocations, token.name]));
    throw nameTaken(token.name, { revokedAt: revoked === null ? null : Number(revoked) });
  }

  async revoke(name: string, at: number): Promise<RevokeOutcome> {
    const outcome = await this.#run('revoke a token', REVOKE.run<number>(this.#client, [this.#keys.tokens, this.#keys.tokenRevocations, this.#keys.tokensVersion], [name, String(at)]));
    return outcome === 1 ? 'revoked' : outcome === 2 ? 'already-revoked' : 'unknown';
  }

  async version(): Promise<string> {
    return (await this.#run('read the tokens version', this.#client.sendCommand<string | null>(['GET', this.#keys.tokensVersion]))) ?? '0';
  }

  async recordUse(uses: readonly TokenUse[]): Promise<void> {
    if (uses.length === 0) return;
    const fields = uses.flatMap((use) => [use.name, JSON.stringify({ at: use.at, from: use.from })]);
    await this.#run('record token uses', this.#client.sendCommand(['HSET', this.#keys.tokenUses, ...fields]));
  }

  async close(): Promise<void> {
    await closeRedis(this.#client);
  }

  #run<T>(what: string, pending: Promise<T>): Promise<T> {
    return redisAnswer(what, pending, COMMAND_TIMEOUT_MS);
  }
}
