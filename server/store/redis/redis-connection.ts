// Connections to the Redis that several Herald instances share (docs/scaling.md). Two rules
// shape them:
// - At start, an unreachable Redis is fatal: `connect` rejects at the first failure
//   with a message naming the URL (credentials removed) and the cause, so `herald
//   serve --redis` refuses to start instead of serving a log it cannot write.
// - Once connected, a lost connection is not fatal: node-redis reconnects with
//   backoff, and callers see HeraldError 'unavailable' (503 + Retry-After) until it
//   is back.

import { createClient } from 'redis';
import { HeraldError, errorText } from '../../protocol/errors.ts';
import { checkRedisUrl, isRedisAuthFailure, redactRedisUrl } from './redis-url.ts';

export interface RedisConnectionOptions {
  /**
   * node-redis's command timeout: how long a command may wait to be WRITTEN (while
   * offline, say). It does not cover the wait for the answer (answerWithin does).
   */
  commandTimeoutMs: number;
  /**
   * Reject commands at once while reconnecting instead of queueing them, so a
   * publish during an outage answers 503 now rather than hanging.
   */
  failWhileOffline: boolean;
  /** What this connection is for, in log lines ("commands", "tail", "lease"). */
  role: string;
  log: (line: string) => void;
}

/** Seconds a client should wait before retrying while Redis is unreachable. */
export const REDIS_RETRY_AFTER_SEC = 2;

const MAX_RECONNECT_DELAY_MS = 2_000;
const CLOSE_GRACE_MS = 1_000;

/** Open one connection; rejects (HeraldError 'unavailable') when Redis cannot be reached now. */
export async function connectRedis(url: string, options: RedisConnectionOptions): Promise<RedisClient> {
  checkRedisUrl(url);
  const shown = redactRedisUrl(url);
  let connectedOnce = false;
  // What the log last said is wrong with this connection: one line per change (lost,
  // then refused credentials, then back), not one per reconnect attempt or request.
  let reported: 'ok' | 'lost' | 'auth' = 'ok';
  const client = createHeraldRedisClient(url, options, () => connectedOnce);
  // node-redis emits 'error' on every failed attempt; an EventEmitter 'error' with no
  // listener would crash the process.
  client.on('error', (error: unknown) => {
    if (!connectedOnce) return;
    const state = isRedisAuthFailure(error) ? 'auth' : 'lost';
    if (state === reported) return;
    reported = state;
    options.log(
      state === 'auth'
        ? `herald: Redis refused the credentials of the ${options.role} connection to ${shown} (${errorText(error)}): the user or password in the Redis URL no longer matches Redis's; requests answer 503 until it does; retrying`
        : `herald: lost the Redis ${options.role} connection to ${shown}: ${errorText(error)}; reconnecting`,
    );
  });
  client.on('ready', () => {
    if (reported !== 'ok') options.log(`herald: Redis ${options.role} connection to ${shown} is back`);
    reported = 'ok';
  });
  try {
    await client.connect();
  } catch (error) {
    const hint = isRedisAuthFailure(error) ? ' (check the user and password in the Redis URL)' : '';
    throw new HeraldError('unavailable', `cannot connect to Redis at ${shown}: ${errorText(error)}${hint}`, {
      cause: error,
      retryAfterSec: REDIS_RETRY_AFTER_SEC,
    });
  }
  connectedOnce = true;
  return client;
}

export type RedisClient = ReturnType<typeof createHeraldRedisClient>;

function createHeraldRedisClient(url: string, options: RedisConnectionOptions, connectedOnce: () => boolean) {
  return createClient({
    url,
    disableOfflineQueue: options.failWhileOffline,
    commandOptions: { timeout: options.commandTimeoutMs },
    socket: {
      connectTimeout: 5_000,
      // Before the first success, giving up (returning the cause) makes connect()
      // reject; afterwards, retry forever with a capped backoff.
      reconnectStrategy: (retries, cause) =>
        connectedOnce() ? Math.min(50 * 2 ** Math.min(retries, 6), MAX_RECONNECT_DELAY_MS) : cause,
    },
  });
}

/** Close a connection, whether or not Redis still answers (a stalled one gets 1 s). */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  if (client.isReady) {
    try {
      await answerWithin(client.close(), CLOSE_GRACE_MS);
      return;
    } catch {
      // fall through: Redis is stalled or the socket died while closing
    }
  }
  if (client.isOpen) client.destroy();
}

/**
 * A failure talking to Redis as a HeraldError: the connection's faults (offline,
 * closed, timed out) and refused credentials are 'unavailable' with Retry-After; any
 * other reply error from Redis (a bug or a foreign key in our namespace) is 'internal'.
 */
export function redisFailure(error: unknown, what: string): HeraldError {
  if (error instanceof HeraldError) return error;
  if (isRedisAuthFailure(error)) {
    // Credentials changed on the Redis side: an outage until they match again, not a bug.
    return new HeraldError('unavailable', `the Redis store refused Herald's credentials, could not ${what}: ${errorText(error)}`, {
      cause: error,
      retryAfterSec: REDIS_RETRY_AFTER_SEC,
    });
  }
  const name = error instanceof Error ? error.constructor.name : '';
  if (name === 'SimpleError' || name === 'BlobError' || name === 'ErrorReply' || name === 'MultiErrorReply') {
    return new HeraldError('internal', `Redis refused to ${what}: ${errorText(error)}`, { cause: error });
  }
  return new HeraldError('unavailable', `the Redis store is unavailable, could not ${what}: ${errorText(error)}`, {
    cause: error,
    retryAfterSec: REDIS_RETRY_AFTER_SEC,
  });
}

/** A command's answer within `ms`; its failure, or no answer in time, as redisFailure names it. */
export async function redisAnswer<T>(what: string, pending: Promise<T>, ms: number): Promise<T> {
  try {
    return await answerWithin(pending, ms);
  } catch (error) {
    throw redisFailure(error, what);
  }
}

/** Raised by answerWithin when Redis has not answered in time. */
export class RedisDeadlineError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = 'RedisDeadlineError';
  }
}

/**
 * Reject when `pending` has no answer after `ms`. A stalled Redis (paused, swapping,
 * partitioned) keeps the socket open, and node-redis waits for a written command's
 * reply forever: replies are matched by order, so it cannot drop one. The command
 * stays queued and may still run when Redis wakes; the caller has been told
 * 'unavailable' and will retry, so a publish during a stall is at-least-once.
 */
export function answerWithin<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisDeadlineError(ms)), ms);
  });
  pending.catch(() => {}); // it may settle after the deadline; nobody listens then
  return Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
}

