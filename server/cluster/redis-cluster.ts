// Joining a deployment of several Herald servers over one Redis (docs/scaling.md): the shared
// event log and the lease that picks the instance running leader-only work. Either
// failing to reach Redis refuses start-up (HeraldError 'unavailable' naming the URL
// without credentials).

import type { Clock } from '../protocol/clock.ts';
import type { RetentionPolicy } from '../store/event-log.ts';
import { openRedisLog, type RedisEventLog } from '../store/redis-log.ts';
import { DEFAULT_RETENTION } from '../store/sqlite-retention.ts';
import { openRedisLease, type RedisLease } from './redis-lease.ts';
import { openRedisSessions, type RedisSessionStore } from './redis-sessions.ts';
import type { SessionLimits } from '../http/sessions.ts';

export interface RedisSettings {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** Prefix of every key (default `herald:`): deployments sharing a database need different ones. */
  keyPrefix?: string;
  /** How long a dead leader's lease blocks a takeover (default 10 s). */
  leaseTtlMs?: number;
  /** Cap of the shared stream (default 100 000 entries). */
  maxStreamLength?: number;
}

export interface RedisCluster {
  log: RedisEventLog;
  lease: RedisLease;
  /** The dashboard's sessions, when asked for (a server with a token). */
  sessions: RedisSessionStore | null;
}

export async function joinRedisCluster(
  settings: RedisSettings,
  context: { retention?: Partial<RetentionPolicy>; clock: Clock; log?: (line: string) => void; sessions?: Partial<SessionLimits> | null },
): Promise<RedisCluster> {
  const shared = {
    url: settings.url,
    ...(settings.keyPrefix === undefined ? {} : { keyPrefix: settings.keyPrefix }),
    ...(context.log === undefined ? {} : { log: context.log }),
  };
  const log = await openRedisLog({
    ...shared,
    clock: context.clock,
    retention: { ...DEFAULT_RETENTION, ...context.retention },
    ...(settings.maxStreamLength === undefined ? {} : { maxStreamLength: settings.maxStreamLength }),
  });
  let lease: RedisLease;
  try {
    // The lease keeps real time whatever clock the server was given: its expiry is
    // Redis's, and a test clock would let it lapse unnoticed.
    lease = await openRedisLease({ ...shared, ...(settings.leaseTtlMs === undefined ? {} : { ttlMs: settings.leaseTtlMs }) });
  } catch (error) {
    await log.close();
    throw error;
  }
  try {
    const sessions = context.sessions ? await openRedisSessions({ ...shared, ...context.sessions }) : null;
    return { log, lease, sessions };
  } catch (error) {
    await lease.close();
    await log.close();
    throw error;
  }
}
