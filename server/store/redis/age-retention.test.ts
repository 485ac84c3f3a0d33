// Age retention and the gaps it leaves, against a real redis-server, with the cutoff
// given explicitly (taken from stream ids) so the test never races the clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../protocol/events.ts';
import { TopicFilter } from '../../protocol/topics.ts';
import { startRedisServer, type RedisServerProcess } from '../../../test/support/redis-server.ts';
import { appendEvents } from './append-script.ts';
import { pruneByAge, redisNowMs } from './age-retention.ts';
import { findGaps } from './gap-finder.ts';
import { closeRedis, connectRedis, type RedisClient } from './redis-connection.ts';
import { redisKeys } from './redis-keys.ts';
import { parseStreamId } from './stream-id.ts';

let redis: RedisServerProcess;
let client: RedisClient;

beforeAll(async () => {
  redis = await startRedisServer();
  client = await connectRedis(redis.url, { role: 'test', failWhileOffline: true, commandTimeoutMs: 2_000, log: () => {} });
});

afterAll(async () => {
  if (client) await closeRedis(client);
  await redis?.stop();
});

function notify(topic: string, body: string): NewEvent {
  return { type: 'notify', data: { topic, time: Date.now(), body, priority: 3, tags: [] } };
}

function msOf(id: string | undefined): number {
  const parsed = parseStreamId(id ?? '');
  if (!parsed) throw new Error(`expected a stream id, got ${id}`);
  return Number(parsed.ms);
}

async function nextMillisecond(after: string | undefined): Promise<void> {
  while ((await redisNowMs(client)) <= msOf(after)) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('age retention', () => {
  it('drops entries before the cutoff, forgets topics with nothing newer, and counts what a resume lost', async () => {
    const keys = redisKeys('age:');
    const limits = { maxStreamLength: 10_000, maxEventsPerTopic: 100 };
    const old = await appendEvents(client, keys, limits, [notify('a', 'a1'), notify('b', 'b1'), notify('a', 'a2')]);
    await nextMillisecond(old[2]);
    const [fresh] = await appendEvents(client, keys, limits, [notify('a', 'a3')]);

    const forgotten = await pruneByAge(client, keys, { dropEventsBefore: msOf(fresh), forgetTopicsBefore: msOf(fresh) });

    expect(forgotten).toBe(1);
    expect(((await client.xRange(keys.stream, '-', '+')) ?? []).map((entry) => entry.id)).toEqual([fresh]);
    expect((await client.zRange(keys.topicIndex, 0, -1)).map(String)).toEqual(['a']);
    expect(await client.exists([keys.topicState('b'), keys.topicIds('b')])).toBe(0);
    // Resuming from before a1 lost a1 and a2 of topic a (b is forgotten entirely).
    const beforeAll = `${msOf(old[0]) - 1}-0`;
    expect(await findGaps(client, keys, beforeAll, new TopicFilter(['a', 'b']))).toEqual([{ topic: 'a', lost: 2 }]);
    expect(await findGaps(client, keys, old[0] ?? '', new TopicFilter(['a']))).toEqual([{ topic: 'a', lost: 1 }]);
    expect(await findGaps(client, keys, old[2] ?? '', new TopicFilter(['a']))).toEqual([]);
  });

  it('keeps a topic whose events are gone until the forget cutoff, so a resume still hears of its gap', async () => {
    const keys = redisKeys('age-dormant:');
    const limits = { maxStreamLength: 10_000, maxEventsPerTopic: 100 };
    const [old] = await appendEvents(client, keys, limits, [notify('quiet', 'q1')]);
    await nextMillisecond(old);
    const [fresh] = await appendEvents(client, keys, limits, [notify('busy', 'b1')]);
    const cutoff = msOf(fresh);
    expect(await pruneByAge(client, keys, { dropEventsBefore: cutoff, forgetTopicsBefore: cutoff - 60_000 })).toBe(0);
    const beforeAll = `${msOf(old) - 1}-0`;
    expect(await findGaps(client, keys, beforeAll, new TopicFilter(['quiet']))).toEqual([{ topic: 'quiet', lost: 1 }]);
    expect(await pruneByAge(client, keys, { dropEventsBefore: cutoff, forgetTopicsBefore: cutoff })).toBe(1);
    expect(await findGaps(client, keys, beforeAll, new TopicFilter(['quiet']))).toEqual([]);
  });

  it('keeps a topic another instance wrote to after the scan', async () => {
    const keys = redisKeys('age-race:');
    const limits = { maxStreamLength: 10_000, maxEventsPerTopic: 100 };
    const [first] = await appendEvents(client, keys, limits, [notify('a', 'a1')]);
    await nextMillisecond(first);
    const [second] = await appendEvents(client, keys, limits, [notify('a', 'a2')]);
    // The cutoff is between the two: `a` has a newer event, so its state stays.
    expect(await pruneByAge(client, keys, { dropEventsBefore: msOf(second), forgetTopicsBefore: msOf(second) })).toBe(0);
    expect(await client.hGet(keys.topicState('a'), 'lastId')).toBe(second);
  });
});
