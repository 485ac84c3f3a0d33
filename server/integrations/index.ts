// The integrations as a plugin (docs/integrations.md): what other tools already
// send, received as Herald events (Alertmanager's and GitHub's webhooks, the config
// file's generic hooks), and GET /metrics for Prometheus. The built-in hooks come
// first, so /hooks/alertmanager and /hooks/github are never taken for a hook name.
// The webhooks' code is loaded by the first webhook request (server/http/lazy-routes.ts);
// their config (topic templates, hooks) is compiled here, at start-up, so a bad one
// still stops the server from starting. The metrics are counted from the start.

import type { HeraldPlugin } from '../plugin.ts';
import type { HeraldConfig } from '../config/config-types.ts';
import type { HookDeps } from './hook-request.ts';
import { HeraldMetrics } from './metrics/herald-metrics.ts';
import { metricsRoute } from './metrics/metrics-route.ts';
import { Serial } from './serial.ts';
import { serverLimits } from '../server-limits.ts';
import { parseTemplate } from '../protocol/json-template.ts';
import { compileHook, type CompiledHook } from './hooks/hook-config.ts';
import { lazyRoutes, type RouteShape } from '../http/lazy-routes.ts';

/** Largest webhook body by default: GitHub's workflow_run payloads are ~20 KiB, an Alertmanager group of hundreds of alerts far more. */
export const DEFAULT_MAX_HOOK_BODY_BYTES = 1024 * 1024;

export const DEFAULT_ALERTMANAGER_TOPIC = 'alertmanager/{{ labels.alertname }}';

/** The webhook routes, in order, as the router sees them. */
const HOOK_ROUTE_SHAPES: readonly RouteShape[] = [
  { method: 'POST', path: '/hooks/alertmanager', auth: 'publish' },
  { method: 'POST', path: '/hooks/github', auth: 'none' },
  { method: 'POST', path: '/hooks/:name', auth: 'none' },
];

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
    const alertmanagerTopic = parseTemplate(config.integrations?.alertmanager?.topic ?? DEFAULT_ALERTMANAGER_TOPIC);
    const hooks = new Map<string, CompiledHook>(Object.entries(config.hooks ?? {}).map(([name, hook]) => [name, compileHook(name, hook)]));
    const github = config.integrations?.github;
    return {
      routes: [
        metricsRoute({ metrics, auth, openToLoopback }),
        ...lazyRoutes('the webhooks', HOOK_ROUTE_SHAPES, async () => {
          const [{ alertmanagerRoute }, { githubRoute }, { hooksRoute }] = await Promise.all([
            import('./alertmanager.ts'),
            import('./github.ts'),
            import('./hooks/hooks-route.ts'),
          ]);
          return [alertmanagerRoute(deps, alertmanagerTopic), githubRoute(deps, github), hooksRoute(deps, hooks)];
        }),
      ],
    };
  };
}
