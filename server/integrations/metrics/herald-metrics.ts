// The Prometheus metrics of one server (docs/integrations.md, "Prometheus metrics").
// The hub and the publisher count in place (plain numbers and in-place histograms:
// nothing is allocated per event); this registry reads them when Prometheus scrapes,
// and prom-client writes the text format. Each server has its own registry, so
// several servers in one process (the tests, an app with a bundled server) do not
// share counters.
//
// prom-client is loaded on the first scrape, not at start-up: loading it (with the
// Node modules it requires) costs an idle server ~4 MiB, and most servers are never
// scraped (bench/results/findings.md, "What the idle embedded server is made of").

import type { Counter, Metric, Registry } from 'prom-client';
import type { Histogram } from '../../core/histogram.ts';
import type { PublishService } from '../../core/publish-service.ts';
import type { Hub } from '../../hub/hub.ts';
import type { EventLog } from '../../store/event-log.ts';
import type { Leadership } from '../../cluster/leadership.ts';

export interface MetricsSources {
  hub: Hub;
  publisher: PublishService;
  log: EventLog;
  leadership: Leadership;
}

/** What a webhook did with a request, by hook name. */
export type HookResult = 'published' | 'unchanged' | 'ignored' | 'refused';

type PromClient = typeof import('prom-client');

/** The metrics text and the content type to send it with. */
export interface MetricsScrape {
  contentType: string;
  text: string;
}

export class HeraldMetrics {
  readonly #sources: MetricsSources;
  /** Webhook requests by hook, then by result, counted before any scrape too. */
  readonly #hookRequests = new Map<string, Map<HookResult, number>>();
  #registry: Promise<Registry> | undefined;

  constructor(sources: MetricsSources) {
    this.#sources = sources;
  }

  /** Count one webhook request (not per event: a webhook is a rare request). */
  hookRequest(hook: string, result: HookResult): void {
    let byResult = this.#hookRequests.get(hook);
    if (!byResult) this.#hookRequests.set(hook, (byResult = new Map()));
    byResult.set(result, (byResult.get(result) ?? 0) + 1);
  }

  /** The metrics now; the first scrape loads prom-client and makes the registry. */
  async scrape(): Promise<MetricsScrape> {
    this.#registry ??= import('prom-client').then((loaded) => this.#makeRegistry(commonJsExports(loaded)));
    const registry = await this.#registry;
    return { contentType: registry.contentType, text: await registry.metrics() };
  }

  #makeRegistry(prom: PromClient): Registry {
    const { Counter, Gauge, Registry } = prom;
    const { hub, publisher, log, leadership } = this.#sources;
    const hookRequests = this.#hookRequests;
    const registry = new Registry();
    const registers = [registry];
    new Gauge({
      name: 'herald_info',
      help: 'Always 1; the label says which event store this server uses.',
      labelNames: ['store'],
      registers,
      collect() {
        this.set({ store: log.kind }, 1);
      },
    });
    new Gauge({
      name: 'herald_open_streams',
      help: 'Event streams (GET /events) open now.',
      registers,
      collect() {
        this.set(hub.size);
      },
    });
    new Gauge({
      name: 'herald_queued_bytes',
      help: 'Bytes waiting to be written to subscribers (slow readers, or live events held while a stream replays).',
      registers,
      collect() {
        this.set(hub.queuedBytes());
      },
    });
    const counter = (name: string, help: string, read: () => number): Counter => plainCounter(Counter, registers, name, help, read);
    counter('herald_deliveries_total', 'Live events queued to subscribers (one per event per subscriber).', () => hub.stats.deliveries);
    counter('herald_slow_subscribers_dropped_total', 'Subscribers dropped because their queue passed the limit (they resume by id).', () => hub.overflowDrops);
    counter('herald_stalled_replays_dropped_total', 'Subscribers dropped because their socket did not take their replay by the deadline (they resume by id).', () => hub.stalledDrops);
    counter('herald_replays_total', 'Streams that resumed from an id (or since=all) and finished replaying the backlog.', () => hub.stats.replays);
    counter('herald_replayed_events_total', 'Events sent by those replays.', () => hub.stats.replayedEvents);
    counter('herald_updates_unchanged_total', 'Status updates not stored because the status had not changed.', () => publisher.stats.unchanged);
    new Counter({
      name: 'herald_publishes_total',
      help: 'Events stored, by who published them: http (POST /topics), alertmanager, github, hook:NAME, internal (sources and jobs).',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const [source, count] of publisher.stats.bySource) this.inc({ source }, count);
      },
    });
    histogram(registers, 'herald_log_append_seconds', 'Time from handing events to the event log until they were durable.', publisher.stats.appendSeconds);
    histogram(registers, 'herald_replay_seconds', 'Time from opening a resuming stream until it went live (its backlog sent).', hub.stats.replaySeconds);
    new Gauge({
      name: 'herald_leader',
      help: '1 when this instance runs the leader-only work (schedules, probes, system sampling).',
      registers,
      collect() {
        this.set(leadership.isLeader ? 1 : 0);
      },
    });
    if (log.kind === 'redis') {
      new Gauge({
        name: 'herald_redis_up',
        help: '1 while the connection to Redis is up.',
        registers,
        collect() {
          this.set(log.available === false ? 0 : 1);
        },
      });
    }
    new Counter({
      name: 'herald_webhook_requests_total',
      help: 'Webhook requests, by hook (alertmanager, github, or a configured name) and result.',
      labelNames: ['hook', 'result'],
      registers,
      collect() {
        this.reset();
        for (const [hook, byResult] of hookRequests) for (const [result, count] of byResult) this.inc({ hook, result }, count);
      },
    });
    return registry;
  }
}

/**
 * prom-client is CommonJS: Node's `import()` gives its exports as named exports and as
 * `default`, an esbuild bundle's (the app's server) only as `default`.
 */
function commonJsExports(loaded: PromClient): PromClient {
  return (loaded as { default?: PromClient }).default ?? loaded;
}

/** A counter whose value is read from a number kept elsewhere. */
function plainCounter(CounterClass: PromClient['Counter'], registers: Registry[], name: string, help: string, read: () => number): Counter {
  return new CounterClass({
    name,
    help,
    registers,
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/**
 * A histogram kept in place (server/core/histogram.ts), registered as a metric of
 * prom-client's registry, which writes it out: prom-client's own Histogram allocates
 * on every observation, so it is not used on the hot path. `get()` answers the shape
 * every prom-client metric answers (and getMetricsAsJSON shows): cumulative
 * `_bucket` values with `le`, then `_sum` and `_count`.
 */
function histogram(registers: Registry[], name: string, help: string, source: Histogram): void {
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    async get() {
      const values: { metricName: string; labels: { le?: number | string }; value: number }[] = [];
      let cumulative = 0;
      source.bounds.forEach((bound, i) => {
        cumulative += source.counts[i] ?? 0;
        values.push({ metricName: `${name}_bucket`, labels: { le: bound }, value: cumulative });
      });
      values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf' }, value: source.count });
      values.push({ metricName: `${name}_sum`, labels: {}, value: source.sum });
      values.push({ metricName: `${name}_count`, labels: {}, value: source.count });
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
    reset() {},
  };
  for (const registry of registers) registry.registerMetric(metric as unknown as Metric);
}
