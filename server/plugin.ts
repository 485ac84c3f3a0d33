// The server's options and the plugins that extend it: a plugin (the sources with
// the jobs API, the dashboard) gets the server's parts and its options and returns
// its routes and how to stop it. The options list the plugins and each plugin sees
// the options, so the two types live here together, apart from the composition root
// (app.ts) that plugins must not import.

import type { Clock } from './protocol/clock.ts';
import type { Publisher } from './core/publisher.ts';
import type { EventLog, RetentionPolicy } from './store/event-log.ts';
import type { Hub } from './hub/hub.ts';
import type { RateLimiter, RateLimitOptions } from './http/rate-limit.ts';
import type { Authenticator } from './http/auth.ts';
import type { AuthFailureOptions } from './http/auth-failures.ts';
import type { SessionLimits } from './http/sessions.ts';
import type { ServerLimits } from './server-limits.ts';
import type { Route } from './http/router.ts';
import type { Leadership } from './cluster/leadership.ts';
import type { RedisSettings } from './cluster/redis-cluster.ts';
import type { HeraldConfig } from './config/config-types.ts';

export interface HeraldServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Require `Authorization: Bearer <token>` (or a dashboard session) to publish and subscribe. */
  token?: string;
  /** When a client that keeps failing to authenticate must wait (server/http/auth-failures.ts). */
  authFailures?: Partial<AuthFailureOptions>;
  /** Dashboard session lifetime and count (server/http/sessions.ts). */
  sessions?: Partial<SessionLimits>;
  /** Where the SQLite log lives (`events.sqlite`); needed unless `log` is given. */
  dataDir?: string;
  /** An EventLog (e.g. Redis) or a factory for one; default: SQLite in `dataDir`. */
  log?: EventLog | ((context: { dataDir?: string; retention: Partial<RetentionPolicy>; clock: Clock }) => EventLog | Promise<EventLog>);
  retention?: Partial<RetentionPolicy>;
  /** Share the log with other instances through Redis (a stream), with a lease for leader-only work. */
  redis?: RedisSettings;
  /** Who runs leader-only work (schedules, probes, system) when not over Redis; default: this server. */
  leadership?: Leadership;
  /** The config file given to `herald serve --config`, for plugins that read it. */
  configFile?: string;
  /** That file, already loaded and validated (plugins use it instead of reading the file again). */
  config?: HeraldConfig;
  heartbeatMs?: number;
  retryMs?: number;
  /** Largest publish body (default 4 KiB). */
  maxBodyBytes?: number;
  /** Bytes a subscriber may have queued before it is dropped (default 1 MiB). */
  maxQueueBytes?: number;
  replayPageSize?: number;
  rateLimit?: Partial<RateLimitOptions>;
  /** Request sizes and timeouts, subscriber counts, allowed hosts (server/server-limits.ts). */
  limits?: Partial<ServerLimits>;
  clock?: Clock;
  routes?: Route[];
  plugins?: HeraldPlugin[];
  /** Failures that are not a client's fault; default: one line on stderr. */
  onError?(error: unknown, where: string): void;
}

/** What a plugin gets to build on. */
export interface PluginContext {
  publisher: Publisher;
  log: EventLog;
  hub: Hub;
  /** Whether this instance runs the work that must run once per deployment. */
  leadership: Leadership;
  clock: Clock;
  options: HeraldServerOptions;
  /** The per-client publish limit, for routes that change state (starting and cancelling jobs). */
  rateLimiter: RateLimiter;
  /** The token and session check, for routes that sign browsers in (the dashboard). */
  auth: Authenticator;
}

/** A piece added to the server (sources, job routes, the dashboard): its routes and how to stop it. */
export type HeraldPlugin = (context: PluginContext) => PluginParts | Promise<PluginParts>;
export interface PluginParts {
  routes?: Route[];
  stop?(): void | Promise<void>;
}
