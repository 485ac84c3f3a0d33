// The ntfy-compatible API as a server plugin (in `standardPlugins`, so `herald serve`
// and the app's bundled server have it). docs/integrations.md, "ntfy".

import type { HeraldPlugin } from '../../plugin.ts';
import { serverLimits } from '../../server-limits.ts';
import { DEFAULT_RETENTION } from '../../store/sqlite-retention.ts';
import { ntfyFormats } from './ntfy-message.ts';
import { ntfyRoutes } from './ntfy-routes.ts';

export function ntfyPlugin(): HeraldPlugin {
  return ({ publisher, hub, log, clock, options, rateLimiter, maxBodyBytes, streams }) => {
    const limits = serverLimits(options.limits);
    const expiresAfterMs = options.retention?.maxAgeMs ?? DEFAULT_RETENTION.maxAgeMs;
    return {
      routes: ntfyRoutes({
        publisher,
        hub,
        log,
        clock,
        rateLimiter,
        maxBodyBytes,
        bodyTimeoutMs: limits.bodyTimeoutMs,
        maxTopicsPerConnection: limits.maxTopicsPerConnection,
        settings: streams.settings,
        slots: streams.slots,
        expiresAfterMs,
        formats: ntfyFormats(expiresAfterMs),
      }),
    };
  };
}
