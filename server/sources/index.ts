// Starts and stops the status sources (system, jobs, probes) from a config, and
// plugs them into the server as a HeraldPlugin: their routes (the jobs API) and a
// stop hook that ends running jobs before the log closes.

import type { HeraldPlugin, PluginParts } from '../plugin.ts';
import type { HeraldConfig } from '../config/config-types.ts';
import { defaultConfig, loadConfig } from '../config/load-config.ts';
import type { Clock } from '../protocol/clock.ts';
import type { Publisher } from '../core/publisher.ts';
import { runWhileLeader } from '../cluster/leader-gate.ts';
import { soleInstance, type Leadership } from '../cluster/leadership.ts';
import { jobRoutes } from './jobs/job-routes.ts';
import { JobRegistry, type JobRegistryOptions } from './jobs/job-registry.ts';
import { Probe } from './probes/probe.ts';
import { SystemSource } from './system.ts';

export interface SourcesOptions {
  publisher: Publisher;
  clock: Clock;
  log?: (message: string) => void;
  fetch?: typeof fetch;
  /** For tests: how often a running job may send progress. */
  jobUpdateEveryMs?: JobRegistryOptions['updateEveryMs'];
  /** Several instances over Redis: only the leader samples, probes and runs schedules. */
  leadership?: Leadership;
}

export interface RunningSources {
  /** The system sampler and probes run while this instance leads; null and [] otherwise. */
  readonly system: SystemSource | null;
  jobs: JobRegistry;
  readonly probes: Probe[];
  /** Stop sampling and probing, end running jobs (cancelled), and wait for their last events. */
  stop(): Promise<void>;
}

export function startSources(config: HeraldConfig, options: SourcesOptions): RunningSources {
  const log = options.log ?? ((message: string) => console.error(`herald: ${message}`));
  const deps = { publisher: options.publisher, clock: options.clock, log };
  const jobs = new JobRegistry(config.jobs ?? {}, {
    ...deps,
    ...(config.server?.maxConcurrentJobRuns === undefined ? {} : { maxActiveRuns: config.server.maxConcurrentJobRuns }),
    ...(options.jobUpdateEveryMs === undefined ? {} : { updateEveryMs: options.jobUpdateEveryMs }),
  });
  let system: SystemSource | null = null;
  let probes: Probe[] = [];
  // Sampling, probes and job schedules run once per deployment, on the leader (over
  // Redis, the lease holder; alone, this server); the jobs API answers everywhere.
  const leaderOnly = runWhileLeader(
    options.leadership ?? soleInstance,
    {
      start() {
        system = config.system?.enabled === false ? null : new SystemSource(config.system ?? {}, deps);
        probes = Object.entries(config.probes ?? {}).map(
          ([name, probe]) => new Probe(name, probe, { ...deps, ...(options.fetch ? { fetch: options.fetch } : {}) }),
        );
        system?.start();
        jobs.startSchedules();
        for (const probe of probes) probe.start();
      },
      async stop() {
        jobs.stopSchedules();
        await Promise.all([system?.stop(), ...probes.map((p) => p.stop())]);
        system = null;
        probes = [];
      },
    },
    log,
  );
  return {
    get system() {
      return system;
    },
    jobs,
    get probes() {
      return probes;
    },
    async stop() {
      await leaderOnly.close();
      await jobs.stop();
    },
  };
}

/**
 * The sources as a server plugin. Without `config`, reads the server's
 * `--config` file (an invalid one refuses start-up with every problem listed),
 * or runs the system source alone with defaults when there is none.
 */
export function sourcesPlugin(overrides: { config?: HeraldConfig } & Partial<Omit<SourcesOptions, 'publisher' | 'clock'>> = {}): HeraldPlugin {
  return async (context): Promise<PluginParts> => {
    const { config: given, ...rest } = overrides;
    const file = context.options.configFile;
    const config = given ?? context.options.config ?? (file === undefined ? defaultConfig() : await loadConfig(file));
    const sources = startSources(config, {
      ...rest,
      publisher: context.publisher,
      clock: context.clock,
      leadership: context.leadership,
    });
    return { routes: jobRoutes(sources.jobs, context.rateLimiter), stop: () => sources.stop() };
  };
}
