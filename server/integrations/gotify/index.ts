// Gotify-compatible publishing as a server plugin (in `standardPlugins`).
// docs/integrations.md, "Gotify".

import type { HeraldPlugin } from '../../plugin.ts';
import { HeraldError } from '../../protocol/errors.ts';
import { topicProblem } from '../../protocol/topics.ts';
import { serverLimits } from '../../server-limits.ts';
import { gotifyRoute } from './gotify-route.ts';

export const DEFAULT_GOTIFY_TOPIC = 'gotify';

export function gotifyPlugin(): HeraldPlugin {
  return ({ publisher, clock, options, rateLimiter, maxBodyBytes }) => {
    const topic = options.config?.integrations?.gotify?.topic ?? DEFAULT_GOTIFY_TOPIC;
    const problem = topicProblem(topic);
    if (problem) throw new HeraldError('bad_config', `integrations.gotify.topic: ${problem}`);
    const { bodyTimeoutMs } = serverLimits(options.limits);
    return { routes: [gotifyRoute({ publisher, clock, rateLimiter, maxBodyBytes, bodyTimeoutMs, topic })] };
  };
}
