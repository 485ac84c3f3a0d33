// Dashboard sessions in a real redis-server: shared between stores (instances),
// bounded in number, expiring with Redis's clock, holding no usable id.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startRedisServer, type RedisServerProcess } from '../../test/support/redis-server.ts';
import { openRedisSessions, type RedisSessionStore } from './redis-sessions.ts';

let redis: RedisServerProcess;
let raw: ReturnType<typeof createClient>;
const stores: RedisSessionStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  raw = createClient({ url: redis.url });
  await raw.connect();
});

afterAll(async () => {
  for (const store of stores) await store.close();
  if (raw?.isOpen) await raw.close();
  await redis?.stop();
});

async function open(options: { keyPrefix: string; ttlMs?: number; maxSessions?: number }): Promise<RedisSessionStore> {
  const store = await openRedisSessions({ url: redis.url, ...options });
  stores.push(store);
  return store;
}

it('shares sessions between instances and ends them everywhere at sign-out', async () => {
  const [one, two] = [await open({ keyPrefix: 'share:' }), await open({ keyPrefix: 'share:' })];
  const id = await one.create();
  expect(await two.isLive(id)).toBe(true);
  await two.end(id);
  expect(await one.isLive(id)).toBe(false);
  // Another deployment (prefix) does not know it.
  expect(await (await open({ keyPrefix: 'other:' })).isLive(await one.create())).toBe(false);
});

it('keeps at most maxSessions, the newest, and stores no session id', async () => {
  const store = await open({ keyPrefix: 'cap:', maxSessions: 3 });
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) ids.push(await store.create());
  const live = await Promise.all(ids.map((id) => store.isLive(id)));
  expect(live.filter(Boolean)).toHaveLength(3);
  expect(live.slice(-3)).toEqual([true, true, true]);
  const keys = await raw.keys('cap:*');
  expect(keys.sort()).toEqual(expect.arrayContaining(['cap:sessions']));
  expect(keys).toHaveLength(4);
  expect(await raw.zCard('cap:sessions')).toBe(3);
  for (const id of ids) expect(keys.join(' ')).not.toContain(id);
});

it('lets Redis expire a session after its ttl', async () => {
  const store = await open({ keyPrefix: 'ttl:', ttlMs: 300 });
  const id = await store.create();
  expect(await store.isLive(id)).toBe(true);
  const deadline = Date.now() + 10_000;
  while ((await store.isLive(id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await store.isLive(id)).toBe(false);
  expect(await raw.exists('ttl:sessions')).toBe(0);
});
