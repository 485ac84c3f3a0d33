// GET /metrics: the Prometheus text format (docs/integrations.md, "Prometheus
// metrics"). It needs a credential like every other route, one that may read every
// topic (the server's token, or a token whose subscribe scope is `**`): the counts
// tell about all the traffic, though they name no topic.
// `server.metricsOpenLoopback` (or `herald serve --metrics-open-loopback`) serves it to
// clients on this machine without one, for a local Prometheus.

import type { Authenticator } from '../../http/auth.ts';
import { requireSubscribe } from '../../http/access.ts';
import type { Route } from '../../http/router.ts';
import type { HeraldMetrics } from './herald-metrics.ts';

export function metricsRoute(deps: { metrics: HeraldMetrics; auth: Authenticator; openToLoopback: boolean }): Route {
  return {
    method: 'GET',
    path: '/metrics',
    auth: 'none',
    async handle({ req, res, client }) {
      if (!(deps.openToLoopback && client.loopback)) requireSubscribe(await deps.auth.check(req, res), '**');
      const { contentType, text } = await deps.metrics.scrape();
      res.writeHead(200, {
        'Content-Type': contentType,
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
  };
}
