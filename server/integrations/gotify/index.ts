// Gotify-compatible publishing as a server plugin (in `standardPlugins`).
// docs/integrations.md, "Gotify". Its route's code is loaded by its first request
// (server/http/lazy-routes.ts); the configured topic is checked at start-up.

import type { HeraldPlugin } from '../../plugin.ts';
import { HeraldError } from '../../protocol/errors.ts';
import { topicProblem } from '../../protocol/topics.ts';
import { serverLimits } from '../../server-limits.ts';
import { lazyRoutes } from '../../http/lazy-routes.ts';

export const DEFAULT_GOTIFY_TOPIC = 'gotify';

export function gotifyPlugin(): HeraldPlugin {
  return ({ publisher, clock, options, rateLimiter, maxBodyBytes }) => {
    const topic = options.config?.integrations?.gotify?.topic ?? DEFAULT_GOTIFY_TOPIC;
    const problem = topicProblem(topic);
    if (problem) throw new HeraldError('bad_config', `integrations.gotify.topic: ${problem}`);
    const { bodyTimeoutMs } = serverLimits(options.limits);
    return {
      routes: lazyRoutes('the Gotify API', [{ method: 'POST', path: '/message', auth: 'publish' }], async () => [
        (await import('./gotify-route.ts')).gotifyRoute({ publisher, clock, rateLimiter, maxBodyBytes, bodyTimeoutMs, topic }),
      ]),
    };
  };
}
