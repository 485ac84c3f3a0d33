// The composition root: build the log, publisher, hub and HTTP routes, listen, and
// shut down in order. Other parts plug in through `plugins` (routes plus a stop hook,
// server/plugin.ts) or `routes`; the defaults below are the whole headless server.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { HeraldError } from './protocol/errors.ts';
import type { EventLog } from './store/event-log.ts';
import { openSqliteLog, SqliteEventLog } from './store/sqlite-log.ts';
import { systemClock, type Clock } from './protocol/clock.ts';
import type { Publisher } from './core/publisher.ts';
import { PublishService } from './core/publish-service.ts';
import { Hub } from './hub/hub.ts';
import { Authenticator, refusedTokenName } from './http/auth.ts';
import { RefusalLog } from './http/refusal-log.ts';
import { TokenRegistry } from './tokens/token-registry.ts';
import { openTokenStoreBesideLog } from './tokens/sqlite-token-store.ts';
import type { TokenStore } from './tokens/token-store.ts';
import { MemorySessionStore } from './http/sessions.ts';
import { tokenProblem } from './protocol/token-format.ts';
import { isLoopbackHost } from './http/client-address.ts';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './http/rate-limit.ts';
import { createRequestHandler } from './http/request-handler.ts';
import { createHttpServer } from './http/http-server.ts';
import { serverLimits } from './server-limits.ts';
import { SubscriberLimits } from './hub/subscriber-limits.ts';
import { Router } from './http/router.ts';
import { eventsRoute } from './http/routes/events.ts';
import { publishRoute } from './http/routes/publish.ts';
import { accessRoute, healthRoute, topicsRoute } from './http/routes/status.ts';
import { dashboardPlugin } from './http/routes/dashboard.ts';
import { sourcesPlugin } from './sources/index.ts';
import { integrationsPlugin } from './integrations/index.ts';
import { ntfyPlugin } from './integrations/ntfy/index.ts';
import { gotifyPlugin } from './integrations/gotify/index.ts';
import { soleInstance } from './cluster/leadership.ts';
import type { HeraldPlugin, HeraldServerOptions } from './plugin.ts';

/**
 * The parts a full server runs (`herald serve`, the app's embedded server); tests
 * build servers without them: the sources with the jobs API, the dashboard, the webhooks
 * and metrics, the ntfy and Gotify APIs.
 */
export const standardPlugins: HeraldPlugin[] = [sourcesPlugin(), dashboardPlugin(), integrationsPlugin(), ntfyPlugin(), gotifyPlugin()];

export interface HeraldServer {
  url: string;
  host: string;
  port: number;
  log: EventLog;
  hub: Hub;
  publisher: PublishService;
  http: Server;
  /** Stop accepting, close every stream (no `end`), stop plugins, flush and close the log. */
  close(): Promise<void>;
}

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  heartbeatMs: 15_000,
  retryMs: 2000,
  maxBodyBytes: 4096,
  maxQueueBytes: 1024 * 1024,
  replayPageSize: 500,
  replayTimeoutMs: 20_000,
};

export async function createHeraldServer(options: HeraldServerOptions): Promise<HeraldServer> {
  const host = options.host ?? DEFAULTS.host;
  const token = options.token || undefined;
  const tokenFormat = token === undefined ? null : tokenProblem(token);
  if (tokenFormat) throw new HeraldError('bad_config', `the server's token: ${tokenFormat}`);
  const clock = options.clock ?? systemClock;
  const onError = options.onError ?? ((error, where) => console.error(`herald: ${where}: ${(error as Error)?.message ?? error}`));
  const logLine = options.logLine ?? ((line: string) => console.error(line));
  // Over Redis, the log is the shared stream and a lease picks who runs leader-only work.
  // Imported only when asked for: node-redis is most of the server's code and ~9 MiB of
  // an idle server's memory (bench/results/findings.md), which a lone server never uses.
  const cluster = options.redis
    ? await (await import('./cluster/redis-cluster.ts')).joinRedisCluster(options.redis, {
        retention: options.retention,
        clock,
        sessions: options.sessions ?? {},
      })
    : null;
  const log = cluster?.log ?? (await openLog(options, clock));
  // Named tokens live beside the events: in Redis over Redis, else in the SQLite log's
  // own database when the server opened it from a data dir (not for a log it was handed).
  let tokenStore: TokenStore | null = cluster?.tokens ?? null;
  let tokens: TokenRegistry | null = null;
  try {
    if (log instanceof SqliteEventLog && options.log === undefined && options.dataDir) tokenStore = openTokenStoreBesideLog(options.dataDir, log.readOnly);
    tokens = tokenStore === null ? null : await TokenRegistry.open(tokenStore, { clock, log: logLine });
    if (!isLoopbackHost(host) && token === undefined && (tokens?.size ?? 0) === 0) {
      throw new HeraldError('bad_config', `refusing to listen on ${host} without a token: anyone who can reach it could read and publish events; pass --token (or set HERALD_TOKEN), add a named token (herald token add), or bind 127.0.0.1`);
    }
  } catch (error) {
    await (tokens ?? tokenStore)?.close();
    await log.close();
    await cluster?.lease.close();
    await cluster?.sessions?.close();
    throw error;
  }
  const leadership = cluster?.lease ?? options.leadership ?? soleInstance;
  const publisher = new PublishService(log);
  const heartbeatMs = options.heartbeatMs ?? DEFAULTS.heartbeatMs;
  const hub = new Hub(log, { heartbeatMs, clock });
  const auth = new Authenticator({
    token,
    tokens,
    alwaysRequired: !isLoopbackHost(host),
    sessions: cluster?.sessions ?? new MemorySessionStore(clock, options.sessions),
    ...(options.authFailures === undefined ? {} : { failures: options.authFailures }),
    clock,
  });
  const rateLimiter = new RateLimiter({ ...DEFAULT_RATE_LIMIT, ...options.rateLimit }, clock);
  const limits = serverLimits(options.limits);
  let connections = 0;
  const settings = {
    retryMs: options.retryMs ?? DEFAULTS.retryMs,
    heartbeatMs,
    maxQueueBytes: options.maxQueueBytes ?? DEFAULTS.maxQueueBytes,
    replayPageSize: options.replayPageSize ?? DEFAULTS.replayPageSize,
    replayTimeoutMs: options.replayTimeoutMs ?? DEFAULTS.replayTimeoutMs,
  };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  // One count of open streams, whichever route opened them (Herald's or ntfy's).
  const slots = new SubscriberLimits(limits);
  const router = new Router([
    eventsRoute({ hub, log, clock, settings, limits, slots }),
    publishRoute({ publisher, clock, rateLimiter, maxBodyBytes, bodyTimeoutMs: limits.bodyTimeoutMs }),
    topicsRoute({ hub, log }),
    accessRoute(),
    healthRoute({ hub, log, clock, startedAt: clock.now(), version: VERSION, connections: () => connections }),
    ...(options.routes ?? []),
  ]);
  const stops: Array<() => void | Promise<void>> = [];
  const stopPlugins = async (): Promise<void> => {
    for (const stop of stops.reverse()) await Promise.resolve().then(stop).catch((e: unknown) => onError(e, 'stopping a plugin'));
  };
  // What a failed start opened is released, so an embedded server (the app's) leaks
  // no log handle, lease or source timer when a plugin refuses to start.
  const releaseAfterFailedStart = async (): Promise<void> => {
    await stopPlugins();
    hub.closeAll();
    publisher.close();
    await log.close();
    await cluster?.lease.close();
    await auth.close();
  };
  try {
    for (const plugin of options.plugins ?? []) {
      const parts = await plugin({ publisher, log, hub, leadership, clock, options, rateLimiter, auth, maxBodyBytes, streams: { settings, slots } });
      for (const route of parts.routes ?? []) router.add(route);
      if (parts.stop) stops.push(parts.stop);
    }
  } catch (error) {
    await releaseAfterFailedStart();
    throw error;
  }

  const refusals = new RefusalLog(logLine, clock);
  const http: Server = createHttpServer(
    createRequestHandler({
      router,
      checkToken: auth.check,
      anonymous: () => auth.anonymous(),
      limits,
      onInternalError: (error, req) => onError(error, `${req.method} ${req.url?.split('?')[0]}`),
      onRefused: (req, error, name) => refusals.note(req, error, name),
      refusedTokenName,
    }),
    limits,
  );
  http.on('connection', (socket) => {
    connections++;
    socket.once('close', () => connections--);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen({ port: options.port ?? DEFAULTS.port, host, backlog: limits.listenBacklog }, () => {
      http.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await releaseAfterFailedStart();
    throw error;
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      await stopPlugins();
      hub.closeAll();
      http.closeIdleConnections();
      // A request still in flight gets a moment to finish, then its socket is closed.
      const grace = setTimeout(() => http.closeAllConnections(), 2000);
      await closed;
      clearTimeout(grace);
      publisher.close();
      await log.close();
      await cluster?.lease.close();
      await auth.close();
    })());

  return { url: `http://${shownHost}:${port}`, host, port, log, hub, publisher, http, close };
}

async function openLog(options: HeraldServerOptions, clock: Clock): Promise<EventLog> {
  const retention = options.retention ?? {};
  if (typeof options.log === 'function') return options.log({ dataDir: options.dataDir, retention, clock });
  if (options.log) return options.log;
  if (!options.dataDir) throw new HeraldError('bad_config', 'expected a data dir (or an event log) for the server, got neither');
  return openSqliteLog({ path: join(options.dataDir, 'events.sqlite'), retention, clock });
}
