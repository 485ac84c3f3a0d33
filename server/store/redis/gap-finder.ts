// Which topics lost events to retention after a client's resume id. Every way an
// entry leaves the stream removes a topic's OLDEST events first (MAXLEN and MINID
// trim from the stream's head; the per-topic cap XDELs the topic's oldest), so a
// topic's retained events are always its newest ones, and it lost events after
// `since` exactly when its newest trimmed id is after `since`. That id is the larger
// of the hash's `trimmedThrough` (per-topic cap) and the newest id in the topic's
// list that is older than the stream's first entry (trimmed from the head).

import type { TopicFilter } from '../../protocol/topics.ts';
import type { GapInfo } from '../event-log.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';
import { compareStreamIds } from './stream-id.ts';

interface TopicRetention {
  topic: string;
  lastId: string | undefined;
  trimmedThrough: string | undefined;
  /** The topic's ids in the stream's order, some possibly already trimmed from the head. */
  ids: string[];
}

export async function findGaps(client: RedisClient, keys: RedisKeys, since: string, filter: TopicFilter): Promise<GapInfo[]> {
  const names = (await client.zRange(keys.topicIndex, 0, -1)).map(String).filter((name) => filter.matches(name));
  if (names.length === 0) return [];
  const pipeline = client.multi();
  pipeline.xRange(keys.stream, '-', '+', { COUNT: 1 });
  for (const name of names) {
    pipeline.hmGet(keys.topicState(name), ['lastId', 'trimmedThrough']);
    pipeline.lRange(keys.topicIds(name), 0, -1);
  }
  const replies = (await pipeline.execAsPipeline()) as unknown[];
  const head = replies[0] as Array<{ id: unknown }> | undefined;
  const firstId = head?.[0] === undefined ? null : String(head[0].id);
  const gaps: GapInfo[] = [];
  names.forEach((topic, index) => {
    const [lastId, trimmedThrough] = (replies[1 + 2 * index] as Array<string | null> | undefined) ?? [];
    const ids = ((replies[2 + 2 * index] as unknown[] | undefined) ?? []).map(String);
    const gap = gapOf({ topic, lastId: lastId ?? undefined, trimmedThrough: trimmedThrough ?? undefined, ids }, since, firstId);
    if (gap) gaps.push(gap);
  });
  return gaps;
}

/** The gap of one topic after `since`, given the stream's first retained id (null: empty). */
export function gapOf(retention: TopicRetention, since: string, firstId: string | null): GapInfo | null {
  const { topic, lastId, trimmedThrough, ids } = retention;
  if (lastId === undefined || compareStreamIds(lastId, since) <= 0) return null;
  const isAfterSince = (id: string) => compareStreamIds(id, since) > 0;
  const trimmedFromHead = firstId === null ? ids : ids.filter((id) => compareStreamIds(id, firstId) < 0);
  const newestFromHead = trimmedFromHead[trimmedFromHead.length - 1];
  const capLostAfterSince = trimmedThrough !== undefined && isAfterSince(trimmedThrough);
  const headLostAfterSince = newestFromHead !== undefined && isAfterSince(newestFromHead);
  if (!capLostAfterSince && !headLostAfterSince) return null;
  // Ids dropped by the per-topic cap are gone from the list, so they can be counted
  // only when none of them is after `since`.
  const lost = capLostAfterSince ? null : trimmedFromHead.filter(isAfterSince).length;
  return { topic, lost };
}
