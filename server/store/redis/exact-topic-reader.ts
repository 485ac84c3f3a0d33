// Reading the retained events of a few named topics without scanning the shared
// stream: each topic's list of retained ids (kept by the append script) names its
// entries, which are then fetched by id. A quiet topic in a busy stream costs two
// round trips instead of a walk over every other topic's entries.

import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';
import { entriesFromMessages, type StreamEntry } from './stream-entry.ts';
import { compareStreamIds } from './stream-id.ts';

/** Entries of `topics` after `since` (null: from the oldest), in stream order, at most `limit`. */
export async function readTopicsAfter(
  client: RedisClient,
  keys: RedisKeys,
  topics: readonly string[],
  since: string | null,
  limit: number,
): Promise<StreamEntry[]> {
  const lists = client.multi();
  for (const topic of topics) lists.lRange(keys.topicIds(topic), 0, -1);
  const replies = (await lists.execAsPipeline()) as unknown as unknown[][];
  const ids = replies
    .flatMap((reply) => (reply ?? []).map(String))
    .filter((id) => since === null || compareStreamIds(id, since) > 0)
    .sort(compareStreamIds)
    .slice(0, limit);
  if (ids.length === 0) return [];
  const fetch = client.multi();
  for (const id of ids) fetch.xRange(keys.stream, id, id);
  const found = (await fetch.execAsPipeline()) as unknown as Array<Array<{ id: unknown; message: unknown }> | null>;
  // An id whose entry is gone was trimmed from the stream's head (MAXLEN or MINID)
  // and is still in its topic's list: it is simply not retained any more.
  return found.flatMap((messages) => entriesFromMessages(messages ?? []));
}
