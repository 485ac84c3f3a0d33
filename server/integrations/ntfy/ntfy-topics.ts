// ntfy's topic names (`[-_A-Za-z0-9]{1,64}`, ntfy's server/server.go `topicRegex`) are
// Herald topics of the same name. Names that are first path segments of Herald's own
// routes (or ntfy's, which no ntfy server lets a topic use either) are refused, so
// `POST /events` never looks like a publish to a topic called "events".

import { HeraldError } from '../../protocol/errors.ts';
import { NTFY_TOPIC } from '../../protocol/event-vocabulary.ts';

/**
 * Herald's routes (and the ones planned), then ntfy's reserved names (ntfy's
 * server/config.go `DefaultDisallowedTopics`). A test checks every route's first
 * segment is here.
 */
export const RESERVED_TOPICS: readonly string[] = [
  'events', 'topics', 'health', 'jobs', 'hooks', 'metrics', 'dashboard', 'message', 'login', 'logout', 'tokens', 'api', 'access',
  'v1', 'docs', 'static', 'file', 'app', 'account', 'settings', 'signup',
];

/** `name` as a Herald topic, or 400 naming what an ntfy topic may be. */
export function ntfyTopic(name: string): string {
  if (!NTFY_TOPIC.test(name)) {
    throw new HeraldError('bad_topic', `expected an ntfy topic name of 1 to 64 letters, digits, "-" or "_", got ${JSON.stringify(name.slice(0, 80))}`);
  }
  if (RESERVED_TOPICS.includes(name)) {
    throw new HeraldError(
      'bad_topic',
      `the topic name ${JSON.stringify(name)} is reserved for Herald's own routes; pick another name (reserved: ${RESERVED_TOPICS.join(', ')})`,
    );
  }
  return name;
}

/** `a,b,c` (a subscribe path's first segment) as topics, at most `max` of them. */
export function ntfyTopicList(list: string, max: number): string[] {
  const names = [...new Set(list.split(',').filter((name) => name !== ''))];
  if (names.length === 0) throw new HeraldError('bad_topic', 'expected one or more ntfy topics before the stream kind (/mytopic/json), got none');
  if (names.length > max) {
    throw new HeraldError('bad_topic', `expected at most ${max} topics on one connection, got ${names.length}; use a second connection`);
  }
  return names.map(ntfyTopic);
}
