// `herald serve`: run the headless server until SIGINT or SIGTERM.

import { setTimeout as delay } from 'node:timers/promises';
import { createHeraldServer, DEFAULTS, standardPlugins } from '../../server/app.ts';
import type { HeraldServerOptions } from '../../server/plugin.ts';
import { DEFAULT_RATE_LIMIT } from '../../server/http/rate-limit.ts';
import { DEFAULT_LIMITS } from '../../server/server-limits.ts';
import { DEFAULT_RETENTION } from '../../server/store/sqlite-retention.ts';
import { numberFlag, parseCommandArgs, stringFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { defaultDataDir } from './data-dir.ts';
import { tokenOption } from './token-option.ts';
import { loadConfig } from '../../server/config/load-config.ts';
import { readTextFile } from '../../server/config/read-text-file.ts';
import { HeraldError } from '../../server/protocol/errors.ts';
import { keepYoungGenerationSmall } from '../../server/core/young-generation.ts';
import { serverOptionsFromConfig } from '../../server/config/server-settings.ts';
import { MAX_HEARTBEAT_SEC, MAX_LEASE_SEC, MAX_REPLAY_TIMEOUT_SEC, MAX_RETAIN_DAYS, MAX_RETRY_MS } from '../../server/config/durations.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** After a signal during start-up, how long a start already under way may take to finish (and be closed). */
const START_ABANDON_GRACE_MS = 2000;

const help = `usage: herald serve [options]

Run the status server: SSE on GET /events, publish on POST /topics/:topic.
Prints one line, "listening on http://HOST:PORT", once it accepts connections.
SIGINT or SIGTERM closes every stream (clients resume by id), flushes the log and exits 0.

options:
  --host HOST            address to bind (default ${DEFAULTS.host}); any other than
                         loopback needs a token
  --port PORT            port (default ${DEFAULTS.port}; 0 picks a free one)
  --token TOKEN          require "Authorization: Bearer TOKEN" to publish and subscribe
                         (default: $HERALD_TOKEN); visible ASCII, no spaces
  --data-dir DIR         where the event log is kept (default: $HERALD_DATA_DIR or
                         ${defaultDataDir()})
  --config FILE          the config file (sources, jobs, probes); its "server" block
                         sets any of these options that no flag sets
  --redis URL            share events with other instances through Redis
                         (redis://[user:password@]host:port[/db]; default:
                         $HERALD_REDIS_URL, then the config file's "redis"); the
                         log is then a Redis stream. A URL with a password is
                         visible to every local user in the process list: prefer
                         $HERALD_REDIS_URL or --redis-url-file
  --redis-url-file FILE  read the Redis URL from FILE (its first line)
  --redis-lease-sec N    seconds a dead leader's lease blocks another instance from
                         taking over jobs, probes and system sampling (default 10,
                         at most ${MAX_LEASE_SEC})
  --heartbeat-sec N      seconds between heartbeat comments (default ${DEFAULTS.heartbeatMs / 1000},
                         at most ${MAX_HEARTBEAT_SEC})
  --retry-ms N           reconnect delay sent to clients, each stream N to 2N (default ${DEFAULTS.retryMs},
                         at most ${MAX_RETRY_MS})
  --max-body-bytes N     largest publish body (default ${DEFAULTS.maxBodyBytes})
  --max-queue-bytes N    bytes queued for one slow subscriber before it is dropped
                         (default ${DEFAULTS.maxQueueBytes}); replay counts too
  --replay-timeout-sec N a subscriber whose socket has not taken its replay N s
                         after connecting is dropped; it resumes by id (default ${DEFAULTS.replayTimeoutMs / 1000})
  --retain-events N      events kept per topic (default ${DEFAULT_RETENTION.maxEventsPerTopic})
  --retain-days N        days events are kept (default ${DEFAULT_RETENTION.maxAgeMs / DAY_MS}, at most ${MAX_RETAIN_DAYS})
  --rate-limit N         publishes a second per non-loopback client, 0 for none
                         (default ${DEFAULT_RATE_LIMIT.perSec})
  --rate-burst N         publishes a client may make at once (default ${DEFAULT_RATE_LIMIT.burst})
  --rate-limit-loopback  apply the rate limit to loopback clients too
  --allowed-hosts A,B    host names besides localhost and loopback addresses that
                         the Host and Origin headers may carry (a reverse proxy's
                         public name); others get 403 (DNS rebinding)
  --max-subscribers N    open event streams in total (default ${DEFAULT_LIMITS.maxSubscribers}; past it: 503)
  --max-subscribers-per-client N
                         open event streams per non-loopback address (default
                         ${DEFAULT_LIMITS.maxSubscribersPerClient}; past it: 429)
  --metrics-open-loopback
                         serve GET /metrics (Prometheus) to clients on this machine
                         without the token; not behind a local reverse proxy
  --max-subscribers-loopback N
                         open event streams from loopback clients, every
                         127.0.0.0/8 address and ::1 together (default
                         ${DEFAULT_LIMITS.maxLoopbackSubscribers}; past it: 429)
  -h, --help             show this help`;

/** The largest Redis URL file read (a URL is well under 1 KiB). */
const MAX_REDIS_URL_FILE_BYTES = 64 * 1024;

/**
 * The server's options, each taken from the first place that sets it: the flags,
 * the environment (HERALD_TOKEN, HERALD_DATA_DIR, HERALD_REDIS_URL), the config
 * file's `server` and `redis`, the defaults. An invalid config file throws with every
 * problem listed.
 */
export async function serveOptions(argv: string[], env: NodeJS.ProcessEnv): Promise<HeraldServerOptions> {
  const { redisUrl: redisFlag, redisUrlFile, leaseTtlMs, ...flags } = serveFlags(argv, env);
  const redisUrl = redisFlag ?? (redisUrlFile === undefined ? undefined : await readRedisUrlFile(redisUrlFile)) ?? (env.HERALD_REDIS_URL || undefined);
  const config = flags.configFile === undefined ? undefined : await loadConfig(flags.configFile);
  const fromConfig = config === undefined ? {} : serverOptionsFromConfig(config);
  const given = withoutUndefined(flags);
  const options: HeraldServerOptions = {
    ...fromConfig,
    ...given,
    host: given.host ?? fromConfig.host ?? DEFAULTS.host,
    port: given.port ?? fromConfig.port ?? DEFAULTS.port,
    dataDir: given.dataDir ?? fromConfig.dataDir ?? defaultDataDir(env),
    retention: { ...fromConfig.retention, ...flags.retention },
    rateLimit: { ...fromConfig.rateLimit, ...flags.rateLimit },
    limits: { ...fromConfig.limits, ...withoutUndefined(flags.limits) },
    ...(config === undefined ? {} : { config }),
    plugins: standardPlugins,
  };
  const redis = redisUrl ?? config?.redis;
  if (redis !== undefined) options.redis = { url: redis, ...(leaseTtlMs === undefined ? {} : { leaseTtlMs }) };
  return options;
}

export async function readRedisUrlFile(path: string): Promise<string> {
  const text = await readTextFile(path, { what: 'Redis URL file', maxBytes: MAX_REDIS_URL_FILE_BYTES });
  const url = text.split(/\r?\n/)[0]!.trim();
  if (url === '') throw new HeraldError('bad_config', `expected a Redis URL on the first line of ${path}, got an empty line`);
  return url;
}

/** The kernel keeps listen's backlog in 16 bits on older Linux; a larger value is cut to somaxconn anyway. */
const BACKLOG_RANGE = { min: 1, max: 65535, integer: true };

function listenBacklogFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.HERALD_LISTEN_BACKLOG;
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < BACKLOG_RANGE.min || value > BACKLOG_RANGE.max) {
    throw new UsageError(`herald serve: expected HERALD_LISTEN_BACKLOG to be an integer from ${BACKLOG_RANGE.min} to ${BACKLOG_RANGE.max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Only what the command line and the environment say; nothing defaulted yet. */
function serveFlags(argv: string[], env: NodeJS.ProcessEnv) {
  const cmd = 'serve';
  const parsed = parseCommandArgs(
    cmd,
    argv,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      redis: { type: 'string' },
      'redis-url-file': { type: 'string' },
      'redis-lease-sec': { type: 'string' },
      'heartbeat-sec': { type: 'string' },
      'retry-ms': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'max-queue-bytes': { type: 'string' },
      'replay-timeout-sec': { type: 'string' },
      'retain-events': { type: 'string' },
      'retain-days': { type: 'string' },
      'rate-limit': { type: 'string' },
      'rate-burst': { type: 'string' },
      'rate-limit-loopback': { type: 'boolean' },
      'allowed-hosts': { type: 'string' },
      'max-subscribers': { type: 'string' },
      'max-subscribers-per-client': { type: 'string' },
      'metrics-open-loopback': { type: 'boolean' },
      'max-subscribers-loopback': { type: 'string' },
      'listen-backlog': { type: 'string' },
    },
    false,
  );
  const heartbeatSec = numberFlag(cmd, parsed, 'heartbeat-sec', { min: 0, max: MAX_HEARTBEAT_SEC });
  const retainDays = numberFlag(cmd, parsed, 'retain-days', { min: 0, max: MAX_RETAIN_DAYS });
  const retainEvents = numberFlag(cmd, parsed, 'retain-events', { min: 1, integer: true });
  const perSec = numberFlag(cmd, parsed, 'rate-limit', { min: 0 });
  const burst = numberFlag(cmd, parsed, 'rate-burst', { min: 1 });
  const redisUrl = stringFlag(parsed, 'redis');
  const redisUrlFile = stringFlag(parsed, 'redis-url-file');
  if (redisUrl !== undefined && redisUrlFile !== undefined) {
    throw new UsageError('herald serve: expected one of --redis and --redis-url-file, got both');
  }
  const leaseSec = numberFlag(cmd, parsed, 'redis-lease-sec', { min: 0.3, max: MAX_LEASE_SEC });
  const replayTimeoutSec = numberFlag(cmd, parsed, 'replay-timeout-sec', { min: 0.1, max: MAX_REPLAY_TIMEOUT_SEC });
  return {
    host: stringFlag(parsed, 'host'),
    port: numberFlag(cmd, parsed, 'port', { min: 0, max: 65535, integer: true }),
    token: tokenOption(cmd, parsed, env),
    dataDir: stringFlag(parsed, 'data-dir') ?? (env.HERALD_DATA_DIR || undefined),
    configFile: stringFlag(parsed, 'config'),
    redisUrl,
    redisUrlFile,
    leaseTtlMs: leaseSec === undefined ? undefined : Math.round(leaseSec * 1000),
    heartbeatMs: heartbeatSec === undefined ? undefined : Math.round(heartbeatSec * 1000),
    retryMs: numberFlag(cmd, parsed, 'retry-ms', { min: 0, max: MAX_RETRY_MS, integer: true }),
    maxBodyBytes: numberFlag(cmd, parsed, 'max-body-bytes', { min: 1, integer: true }),
    maxQueueBytes: numberFlag(cmd, parsed, 'max-queue-bytes', { min: 1024, integer: true }),
    metricsOpenLoopback: parsed.flags['metrics-open-loopback'] === true ? true : undefined,
    replayTimeoutMs: replayTimeoutSec === undefined ? undefined : Math.round(replayTimeoutSec * 1000),
    retention: {
      ...(retainEvents === undefined ? {} : { maxEventsPerTopic: retainEvents }),
      ...(retainDays === undefined ? {} : { maxAgeMs: retainDays * DAY_MS }),
    },
    rateLimit: {
      ...(perSec === undefined ? {} : { perSec }),
      ...(burst === undefined ? {} : { burst }),
      ...(parsed.flags['rate-limit-loopback'] === true ? { includeLoopback: true } : {}),
    },
    limits: {
      allowedHosts: stringFlag(parsed, 'allowed-hosts')?.split(',').map((h) => h.trim()).filter((h) => h.length > 0),
      maxSubscribers: numberFlag(cmd, parsed, 'max-subscribers', { min: 1, integer: true }),
      maxSubscribersPerClient: numberFlag(cmd, parsed, 'max-subscribers-per-client', { min: 1, integer: true }),
      maxLoopbackSubscribers: numberFlag(cmd, parsed, 'max-subscribers-loopback', { min: 1, integer: true }),
      listenBacklog: numberFlag(cmd, parsed, 'listen-backlog', BACKLOG_RANGE) ?? listenBacklogFromEnv(env),
    },
  };
}

export const serveCommand: Command = {
  summary: 'run the status server (SSE on /events, publish on /topics/:topic)',
  help,
  async run(argv, io) {
    // The handlers go in before the "listening on" line: a script that reads the line
    // and signals at once must get the graceful shutdown, not Node's default exit.
    let stop = (): void => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    keepYoungGenerationSmall();
    try {
      // A signal during start-up (a slow Redis, a config that takes long to read) stops
      // it: the start is abandoned, and whatever has started by then is closed.
      const starting = serveOptions(argv, io.env).then(createHeraldServer);
      const server = await Promise.race([starting, stopped.then(() => null)]);
      if (server === null) {
        await Promise.race([starting.then((late) => late.close()).catch(() => {}), delay(START_ABANDON_GRACE_MS)]);
        return 0;
      }
      io.out(`listening on ${server.url}`);
      await stopped;
      await server.close();
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
