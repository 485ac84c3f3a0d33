// Retention by age over the shared stream: entries older than the cutoff go (XTRIM
// MINID, exact, since it runs once a minute rather than on every append). A topic
// whose latest event is older than maxAge is no longer listed (topic-states.ts), but
// its state is kept for twice that long, as the SQLite log keeps its tombstones, so a
// client that resumes from an old id still gets a `gap` for it. Stream ids
// start with Redis's clock in milliseconds (and the topic index is scored with them),
// so the cutoff is taken from Redis's clock too (TIME), not from an instance's.

import { LuaScript } from './lua-script.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

// Checked again inside the script: another instance may have appended to the topic
// since the scan, and then its state must stay.
// KEYS: topic index, state hash, id list.  ARGV: topic, cutoff (ms).
const FORGET_STALE_TOPIC = new LuaScript(`
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) < tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
`);

/** Redis's clock, in milliseconds since the epoch. */
export async function redisNowMs(client: RedisClient): Promise<number> {
  const [seconds, micros] = (await client.sendCommand<unknown[]>(['TIME'])).map(Number);
  return (seconds ?? 0) * 1_000 + Math.floor((micros ?? 0) / 1_000);
}

export interface AgeCutoffs {
  /** Entries with an id before this time (ms, Redis's clock) are dropped. */
  dropEventsBefore: number;
  /** Topics whose latest event is before this time are forgotten. */
  forgetTopicsBefore: number;
}

/** Apply age retention; answers how many topics were forgotten. */
export async function pruneByAge(client: RedisClient, keys: RedisKeys, cutoffs: AgeCutoffs): Promise<number> {
  const dropBefore = Math.max(0, Math.floor(cutoffs.dropEventsBefore));
  await client.xTrim(keys.stream, 'MINID', `${dropBefore}-0`);
  const cutoff = Math.max(0, Math.floor(cutoffs.forgetTopicsBefore));
  const stale = (await client.zRangeByScore(keys.topicIndex, '-inf', `(${cutoff}`)).map(String);
  let forgotten = 0;
  for (const topic of stale) {
    const removed = await FORGET_STALE_TOPIC.run<number>(
      client,
      [keys.topicIndex, keys.topicState(topic), keys.topicIds(topic)],
      [topic, String(cutoff)],
    );
    forgotten += Number(removed);
  }
  return forgotten;
}
