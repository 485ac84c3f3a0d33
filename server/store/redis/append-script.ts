// Appending events: one script call per batch, so that for every event the stream
// entry, the topic's latest state and its retained-id list change together (no
// instance ever reads a state that points at an entry not yet written, or the
// reverse), and a batch costs one round trip.
//
// The topic index is scored with the stream id's milliseconds, Redis's own clock, so
// age retention compares times from one clock whatever the instances' clocks say.
//
// Retention over one shared stream (docs/scaling.md, "How it works"):
// - `XADD ... MAXLEN ~ N` caps the whole stream, which bounds Redis memory;
// - per topic, the list of its retained ids is capped at `maxEventsPerTopic`: when it
//   grows past, the topic's oldest entry is XDEL'd and remembered as the topic's
//   `trimmedThrough`, so a chatty topic cannot push a quiet one out by count alone
//   and a resume can tell exactly which topics lost events (gap-finder.ts).

import type { NewEvent } from '../../protocol/events.ts';
import { LuaScript } from './lua-script.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';
import { entryFields } from './stream-entry.ts';

// KEYS: stream, topic index, then (state hash, id list) per event.
// ARGV: stream max length, max events per topic, then per event:
//       topic, type, data, time, status JSON ('' unless update), level ('' unless alert).
const APPEND = new LuaScript(`
local stream, index = KEYS[1], KEYS[2]
local maxLength, perTopic = ARGV[1], tonumber(ARGV[2])
local ids = {}
for i = 0, (#KEYS - 2) / 2 - 1 do
  local state, retained = KEYS[3 + 2 * i], KEYS[4 + 2 * i]
  local a = 3 + 6 * i
  local topic, kind, data, time, status, level = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local id = redis.call('XADD', stream, 'MAXLEN', '~', maxLength, '*', 'topic', topic, 'type', kind, 'data', data)
  redis.call('HSET', state, 'lastId', id, 'lastType', kind, 'lastTime', time)
  if status ~= '' then redis.call('HSET', state, 'status', status) end
  if level ~= '' then redis.call('HSET', state, 'level', level) end
  redis.call('ZADD', index, string.match(id, '^(%d+)'), topic)
  local count = redis.call('RPUSH', retained, id)
  while count > perTopic do
    local oldest = redis.call('LPOP', retained)
    redis.call('XDEL', stream, oldest)
    redis.call('HSET', state, 'trimmedThrough', oldest)
    count = count - 1
  end
  ids[#ids + 1] = id
end
return ids
`);

export interface AppendLimits {
  maxStreamLength: number;
  maxEventsPerTopic: number;
}

/** Append `events` in order; resolves with their stream ids once Redis has them. */
export async function appendEvents(
  client: RedisClient,
  keys: RedisKeys,
  limits: AppendLimits,
  events: readonly NewEvent[],
): Promise<string[]> {
  const scriptKeys = [keys.stream, keys.topicIndex];
  const args = [String(limits.maxStreamLength), String(limits.maxEventsPerTopic)];
  for (const event of events) {
    const { topic, type, data } = entryFields(event);
    scriptKeys.push(keys.topicState(topic), keys.topicIds(topic));
    const status = event.type === 'update' ? JSON.stringify(event.data.status) : '';
    const level = event.type === 'alert' ? event.data.level : '';
    args.push(topic, type, data, String(event.data.time), status, level);
  }
  const ids = await APPEND.run<unknown>(client, scriptKeys, args);
  if (!Array.isArray(ids) || ids.length !== events.length) {
    throw new Error(`expected ${events.length} stream ids from the append script, got ${JSON.stringify(ids)}`);
  }
  return ids.map(String);
}
