// The integrations as a plugin (docs/integrations.md): what other tools already
// send, received as Herald events (Alertmanager's and GitHub's webhooks, the config
// file's generic hooks), and GET /metrics for Prometheus. The built-in hooks come
// first, so /hooks/alertmanager and /hooks/github are never taken for a hook name.

import type { HeraldPlugin } from '../plugin.ts';
import type { HeraldConfig } from '../config/config-types.ts';
import { alertmanagerRoute } from './alertmanager.ts';
import { githubRoute } from './github.ts';
import { hooksRoute } from './hooks/hooks-route.ts';
import { DEFAULT_MAX_HOOK_BODY_BYTES, type HookDeps } from './hook-request.ts';
import { HeraldMetrics } from './metrics/herald-metrics.ts';
import { metricsRoute } from './metrics/metrics-route.ts';
import { Serial } from './serial.ts';
import { serverLimits } from '../server-limits.ts';

export function integrationsPlugin(overrides: { config?: HeraldConfig } = {}): HeraldPlugin {
  return ({ publisher, log, hub, leadership, clock, options, rateLimiter, auth }) => {
    const config = overrides.config ?? options.config ?? {};
    const metrics = new HeraldMetrics({ hub, publisher, log, leadership });
    const deps: HookDeps = {
      publisher,
      log,
      clock,
      rateLimiter,
      auth,
      maxBodyBytes: options.maxHookBodyBytes ?? config.server?.maxHookBodyBytes ?? DEFAULT_MAX_HOOK_BODY_BYTES,
      bodyTimeoutMs: serverLimits(options.limits).bodyTimeoutMs,
      serial: new Serial(),
      metrics,
    };
    const openToLoopback = options.metricsOpenLoopback ?? config.server?.metricsOpenLoopback ?? false;
    return {
      routes: [
        metricsRoute({ metrics, auth, openToLoopback }),
        alertmanagerRoute(deps, config.integrations?.alertmanager),
        githubRoute(deps, config.integrations?.github),
        hooksRoute(deps, config.hooks ?? {}),
      ],
    };
  };
}
