// The config file's `server` block as createHeraldServer options, for `herald
// serve` to lay its command-line flags over (flags win). Only what the file sets
// appears, so a spread of flags over it keeps every flag the user gave.

import type { HeraldServerOptions } from '../plugin.ts';
import type { HeraldConfig } from './config-types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function serverOptionsFromConfig(config: HeraldConfig): Partial<HeraldServerOptions> {
  const server = config.server ?? {};
  const options: Partial<HeraldServerOptions> = {};
  if (server.host !== undefined) options.host = server.host;
  if (server.port !== undefined) options.port = server.port;
  if (server.token !== undefined) options.token = server.token;
  if (server.dataDir !== undefined) options.dataDir = server.dataDir;
  if (server.heartbeatSec !== undefined) options.heartbeatMs = Math.round(server.heartbeatSec * 1000);
  const { maxEventsPerTopic, maxAgeDays } = server.retention ?? {};
  if (maxEventsPerTopic !== undefined || maxAgeDays !== undefined) {
    options.retention = {
      ...(maxEventsPerTopic === undefined ? {} : { maxEventsPerTopic }),
      ...(maxAgeDays === undefined ? {} : { maxAgeMs: maxAgeDays * DAY_MS }),
    };
  }
  // The server's limiter refills per second; 0 turns it off either way.
  if (server.rateLimitPerMinute !== undefined) options.rateLimit = { perSec: server.rateLimitPerMinute / 60 };
  if (server.maxHookBodyBytes !== undefined) options.maxHookBodyBytes = server.maxHookBodyBytes;
  if (server.metricsOpenLoopback !== undefined) options.metricsOpenLoopback = server.metricsOpenLoopback;
  if (server.listenBacklog !== undefined) options.limits = { listenBacklog: server.listenBacklog };
  return options;
}
