// A Lua script run with EVALSHA, falling back to EVAL when Redis does not know it
// (after a restart the script cache is empty: https://redis.io/docs/latest/develop/programmability/eval-intro/#script-cache).
// Scripts make a read-then-write atomic: Redis runs a script with no other command
// in between, which MULTI cannot do when a write depends on what was read.

import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connection.ts';

export class LuaScript {
  readonly source: string;
  readonly sha1: string;

  constructor(source: string) {
    this.source = source;
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  async run<T>(client: RedisClient, keys: readonly string[], args: readonly string[]): Promise<T> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await client.sendCommand<T>(['EVALSHA', this.sha1, ...tail]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await client.sendCommand<T>(['EVAL', this.source, ...tail]);
    }
  }
}
