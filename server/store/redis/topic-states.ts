// The latest state of each topic, kept in one Redis hash per topic (written by the
// append script), so every instance answers GET /topics, `ended` and the update
// dedupe the same way. The topic index is scored by the time of each topic's latest
// event (its stream id's milliseconds); topics older than `listedSince` are kept for
// gap reports only and are not listed.

import { isEventType, isLevel } from '../../protocol/events.ts';
import type { TopicState } from '../event-log.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

/** The raw hash as Redis keeps it. */
export type TopicStateHash = Record<string, string>;

export function topicStateFromHash(topic: string, hash: TopicStateHash): TopicState | null {
  const { lastId, lastType, lastTime } = hash;
  if (lastId === undefined || !isEventType(lastType) || lastTime === undefined) return null;
  let status: Record<string, unknown> | null = null;
  if (hash.status !== undefined) {
    try {
      const parsed: unknown = JSON.parse(hash.status);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        status = parsed as Record<string, unknown>;
      }
    } catch {
      status = null;
    }
  }
  return {
    topic,
    lastId,
    lastType,
    lastTime: Number(lastTime),
    status,
    level: isLevel(hash.level) ? hash.level : null,
    ended: lastType === 'end',
  };
}

export async function readTopicState(
  client: RedisClient,
  keys: RedisKeys,
  topic: string,
  listedSince: number,
): Promise<TopicState | null> {
  const replies = await client.multi().zScore(keys.topicIndex, topic).hGetAll(keys.topicState(topic)).execAsPipeline();
  const [score, hash] = replies as unknown as [number | null, TopicStateHash];
  if (score === null || score < listedSince) return null;
  return topicStateFromHash(topic, hash);
}

/** The state of every topic with an event since `listedSince`, sorted by name. */
export async function readTopicStates(client: RedisClient, keys: RedisKeys, listedSince: number): Promise<TopicState[]> {
  const names = (await client.zRangeByScore(keys.topicIndex, Math.floor(listedSince), '+inf')).map(String).sort();
  if (names.length === 0) return [];
  const pipeline = client.multi();
  for (const name of names) pipeline.hGetAll(keys.topicState(name));
  const hashes = (await pipeline.execAsPipeline()) as unknown[];
  const states: TopicState[] = [];
  names.forEach((name, index) => {
    const state = topicStateFromHash(name, (hashes[index] ?? {}) as TopicStateHash);
    if (state) states.push(state);
  });
  return states;
}
