// The ntfy-compatible API as a server plugin (in `standardPlugins`, so `herald serve`
// and the app's bundled server have it). docs/integrations.md, "ntfy".
// Its code (ntfy-routes.ts and what it imports) is loaded by the first request to one
// of its routes (server/http/lazy-routes.ts): most servers never see an ntfy client.

import type { HeraldPlugin } from '../../plugin.ts';
import { serverLimits } from '../../server-limits.ts';
import { DEFAULT_RETENTION } from '../../store/sqlite-retention.ts';
import { lazyRoutes, type RouteShape } from '../../http/lazy-routes.ts';

/** The routes ntfyRoutes makes, in its order, as the router sees them. */
export const NTFY_ROUTE_SHAPES: readonly RouteShape[] = [
  ...['PUT', 'POST'].flatMap((method): RouteShape[] => [
    { method, path: '/:topic', auth: 'publish', fallback: true },
    { method, path: '/', auth: 'publish' },
  ]),
  ...['json', 'sse', 'raw'].map((kind): RouteShape => ({ method: 'GET', path: `/:topics/${kind}`, auth: 'subscribe', fallback: true })),
  { method: 'GET', path: '/:topics/auth', auth: 'subscribe', fallback: true },
  { method: 'GET', path: '/:topics/ws', auth: 'none', fallback: true },
];

export function ntfyPlugin(): HeraldPlugin {
  return ({ publisher, hub, log, clock, options, rateLimiter, maxBodyBytes, streams }) => {
    const limits = serverLimits(options.limits);
    const expiresAfterMs = options.retention?.maxAgeMs ?? DEFAULT_RETENTION.maxAgeMs;
    return {
      routes: lazyRoutes('the ntfy API', NTFY_ROUTE_SHAPES, async () => {
        const [{ ntfyRoutes }, { ntfyFormats }] = await Promise.all([import('./ntfy-routes.ts'), import('./ntfy-message.ts')]);
        return ntfyRoutes({
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
        });
      }),
    };
  };
}
