// The lease against a real redis-server, with short ttls in real time (the expiry is
// Redis's, so an injected clock could not move it). 1.5 s leaves room for a loaded
// 2-core machine to run renewals on time.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { HeraldError } from '../protocol/errors.ts';
import { startRedisServer, type RedisServerProcess } from '../../test/support/redis-server.ts';
import { openRedisLease, type RedisLease, type RedisLeaseOptions } from './redis-lease.ts';

const TTL_MS = 1_500;
let redis: RedisServerProcess;
let raw: ReturnType<typeof createClient>;
let leaseCount = 0;
const opened: RedisLease[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  raw = createClient({ url: redis.url });
  await raw.connect();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((lease) => lease.close()));
  logLines.length = 0;
});

afterAll(async () => {
  if (raw?.isOpen) await raw.close();
  await redis?.stop();
});

async function open(name: string, overrides: Partial<RedisLeaseOptions> = {}): Promise<RedisLease> {
  const lease = await openRedisLease({
    url: redis.url,
    name,
    ttlMs: TTL_MS,
    holder: `instance-${++leaseCount}`,
    log: (line) => logLines.push(line),
    ...overrides,
  });
  opened.push(lease);
  return lease;
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('one leader among instances', () => {
  it('lets exactly one of three instances lead, and records it in Redis', async () => {
    const leases = [await open('one'), await open('one'), await open('one')];
    const leaders = leases.filter((lease) => lease.isLeader);
    expect(leaders).toHaveLength(1);
    expect(await raw.get('herald:lease:one')).toBe(leaders[0]?.holder);
    // Renewals keep the same leader past several ttls.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
    expect(leases.filter((lease) => lease.isLeader)).toEqual(leaders);
  });

  it('hands over at once when the leader shuts down and releases', async () => {
    const first = await open('handover');
    const second = await open('handover');
    expect([first.isLeader, second.isLeader]).toEqual([true, false]);
    const changes: boolean[] = [];
    second.onChange((leader) => changes.push(leader));
    await first.close();
    expect(await raw.get('herald:lease:handover')).toBeNull();
    await waitUntil(() => second.isLeader, 'the second instance to lead', TTL_MS);
    expect(changes).toEqual([true]);
  });

  it('takes over from a leader that died without releasing once its lease expires', async () => {
    await raw.set('herald:lease:dead', 'a-dead-instance', { expiration: { type: 'PX', value: TTL_MS } });
    const survivor = await open('dead');
    expect(survivor.isLeader).toBe(false);
    await waitUntil(() => survivor.isLeader, 'the survivor to take over', TTL_MS * 3);
    expect(await raw.get('herald:lease:dead')).toBe(survivor.holder);
  });

  it('steps down when another instance holds the key', async () => {
    const lease = await open('stolen');
    expect(lease.isLeader).toBe(true);
    await raw.set('herald:lease:stolen', 'someone-else', { expiration: { type: 'PX', value: 60_000 } });
    await waitUntil(() => !lease.isLeader, 'the leader to step down', TTL_MS * 2);
    expect(logLines.some((line) => line.includes('taken by another instance'))).toBe(true);
    // Closing must not delete someone else's lease.
    await lease.close();
    expect(await raw.get('herald:lease:stolen')).toBe('someone-else');
  });
});

describe('when Redis goes away', () => {
  it('steps down on its own deadline when Redis stops answering, and leads again when it answers', async () => {
    const lease = await open('stall');
    const changes: boolean[] = [];
    lease.onChange((leader) => changes.push(leader));
    redis.pause();
    try {
      // Redis answers nothing, so the only way down is this instance's own deadline.
      await waitUntil(() => !lease.isLeader, 'the leader to step down', TTL_MS * 3);
      expect(logLines.some((line) => line.includes('in time; stepping down'))).toBe(true);
    } finally {
      redis.resume();
    }
    await waitUntil(() => lease.isLeader, 'leadership to return', TTL_MS * 3);
    expect(changes).toEqual([false, true]);
  });

  it('refuses to start when Redis cannot be reached', async () => {
    const error = await openRedisLease({ url: 'redis://127.0.0.1:1', log: () => {} }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).code).toBe('unavailable');
  });
});
