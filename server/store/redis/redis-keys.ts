// Every key Herald keeps in Redis, under one prefix (default `herald:`) so that
// several deployments can share a Redis database without meeting.

export interface RedisKeys {
  /** The one stream that holds every event of every topic, in publish order. */
  readonly stream: string;
  /** Sorted set: topic name -> time of its latest event (finds topics to age out). */
  readonly topicIndex: string;
  /** Hash: the latest state of one topic (lastId, lastType, lastTime, status, level, trimmedThrough). */
  topicState(topic: string): string;
  /** List: the ids of one topic's retained events, oldest first (per-topic retention). */
  topicIds(topic: string): string;
  /** String: who holds a named lease (server/cluster/lease.ts). */
  lease(name: string): string;
  /** String, expiring: one dashboard session, by the SHA-256 of its id (server/cluster/redis-sessions.ts). */
  session(key: string): string;
  /** Sorted set: session key -> creation time (keeps the number of sessions bounded). */
  readonly sessionIndex: string;
}

export const DEFAULT_KEY_PREFIX = 'herald:';

export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  return {
    stream: `${prefix}events`,
    topicIndex: `${prefix}topics`,
    topicState: (topic) => `${prefix}topic:${topic}`,
    topicIds: (topic) => `${prefix}topic-ids:${topic}`,
    lease: (name) => `${prefix}lease:${name}`,
    session: (key) => `${prefix}session:${key}`,
    sessionIndex: `${prefix}sessions`,
  };
}
