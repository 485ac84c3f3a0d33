// The `system` topic: CPU, memory, disk per mount, load average, uptime, sampled
// every `intervalSec`. An `update` goes out when a figure moved by at least the dead
// band (2 points by default); alerts follow the thresholds with hysteresis. A
// read that throws is a critical alert on the topic, never a dead server.

import type { SystemConfig } from '../config/config-types.ts';
import type { Clock } from '../protocol/clock.ts';
import type { Publisher } from '../core/publisher.ts';
import type { AlertData, NewEvent } from '../protocol/events.ts';
import { MetricAlerts } from './metric-alerts.ts';
import { createSystemReader, defaultMounts, type ReadSystem, type SystemSample } from './system-reader.ts';
import { linesFrom } from './thresholds.ts';

export const SYSTEM_TOPIC = 'system';

export const SYSTEM_DEFAULTS = {
  intervalSec: 2,
  deadBand: 2,
  holdSec: 10,
  marginPct: 5,
  thresholds: { cpu: [80, 90], memory: [85, 95], disk: [85, 95] } as Record<string, [number, number]>,
};

/** Load averages are not percentages: they count as news past this much. */
const LOAD_DEAD_BAND = 0.5;

export interface SystemSourceDeps {
  publisher: Publisher;
  clock: Clock;
  log: (message: string) => void;
  /** Injected for tests; default reads this machine. */
  read?: ReadSystem;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
const round2 = (n: number): number => Math.round(n * 100) / 100;

export class SystemSource {
  private readonly config: Required<Pick<SystemConfig, 'intervalSec' | 'deadBand'>>;
  private readonly deps: SystemSourceDeps;
  private readonly read: ReadSystem;
  private readonly alerts: MetricAlerts;
  private last: SystemSample | null = null;
  private lastLevel: string | null = null;
  private timer: unknown = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  private publishing: Promise<unknown> = Promise.resolve();

  constructor(config: SystemConfig, deps: SystemSourceDeps) {
    this.config = {
      intervalSec: config.intervalSec ?? SYSTEM_DEFAULTS.intervalSec,
      deadBand: config.deadBand ?? SYSTEM_DEFAULTS.deadBand,
    };
    this.deps = deps;
    const mounts = config.mounts ?? defaultMounts();
    this.read = deps.read ?? createSystemReader(mounts);
    this.alerts = new MetricAlerts(SYSTEM_TOPIC, {
      holdMs: (config.holdSec ?? SYSTEM_DEFAULTS.holdSec) * 1000,
      marginPct: config.marginPct ?? SYSTEM_DEFAULTS.marginPct,
    });
    const thresholds = { ...SYSTEM_DEFAULTS.thresholds, ...config.thresholds };
    for (const metric of ['cpu', 'memory'] as const) {
      const pair = thresholds[metric];
      if (pair) this.alerts.define(metric, { lines: linesFrom(pair, 'above'), label: metric, unit: '%' });
    }
    if (thresholds.disk) {
      for (const mount of mounts) {
        this.alerts.define(`disk ${mount}`, { lines: linesFrom(thresholds.disk, 'above'), label: `disk ${mount}`, unit: '%' });
      }
    }
    if (thresholds.load) this.alerts.define('load', { lines: linesFrom(thresholds.load, 'above'), label: 'load', unit: '' });
  }

  /** Sample every intervalSec (the first after one interval, so CPU has a span to measure). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
    await this.publishing;
  }

  /** Take one sample and publish what changed. Never throws. */
  async sample(): Promise<void> {
    const now = Math.round(this.deps.clock.now());
    let sample: SystemSample;
    try {
      sample = await this.read();
    } catch (error) {
      const alert = this.alerts.fail('sampler', `system sampling failed: ${(error as Error).message}`, now);
      if (alert) void this.enqueue({ type: 'alert', data: alert });
      await this.publishing;
      return;
    }
    const alerts: (AlertData | null)[] = [this.alerts.recover('sampler', now, 'system sampling works again')];
    alerts.push(this.alerts.observe('cpu', sample.cpu, now), this.alerts.observe('memory', sample.memory, now));
    for (const [mount, used] of Object.entries(sample.disk)) {
      alerts.push(this.alerts.recover(`disk ${mount} unreadable`, now, `disk ${mount} is readable again`));
      alerts.push(this.alerts.observe(`disk ${mount}`, used, now));
    }
    for (const [mount, reason] of Object.entries(sample.diskErrors)) {
      alerts.push(this.alerts.fail(`disk ${mount} unreadable`, `cannot read disk use of ${mount}: ${reason}`, now));
    }
    alerts.push(this.alerts.observe('load', sample.load[0], now));
    const level = this.alerts.level;
    if (this.movedPastDeadBand(sample) || level !== this.lastLevel) {
      this.last = sample;
      this.lastLevel = level;
      void this.enqueue({ type: 'update', data: { topic: SYSTEM_TOPIC, time: now, status: this.status(sample, level) } });
    }
    for (const alert of alerts) if (alert) void this.enqueue({ type: 'alert', data: alert });
    await this.publishing;
  }

  private arm(): void {
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      this.inFlight = this.sample().finally(() => {
        this.inFlight = null;
        if (this.running) this.arm();
      });
    }, this.config.intervalSec * 1000);
  }

  private movedPastDeadBand(sample: SystemSample): boolean {
    const last = this.last;
    if (last === null) return true;
    const band = this.config.deadBand;
    const moved = (a: number | undefined, b: number | undefined, limit: number): boolean =>
      a === undefined || b === undefined ? a !== b : Math.abs(a - b) >= limit;
    if (moved(last.cpu, sample.cpu, band) || moved(last.memory, sample.memory, band)) return true;
    if (moved(last.load[0], sample.load[0], LOAD_DEAD_BAND)) return true;
    const mounts = new Set([...Object.keys(last.disk), ...Object.keys(sample.disk)]);
    return [...mounts].some((m) => moved(last.disk[m], sample.disk[m], band));
  }

  private status(sample: SystemSample, level: string): Record<string, unknown> {
    const disk: Record<string, number> = {};
    for (const [mount, used] of Object.entries(sample.disk)) disk[mount] = round1(used);
    return {
      cpu: round1(sample.cpu),
      memory: round1(sample.memory),
      disk,
      load: sample.load.map(round2),
      uptimeSec: sample.uptimeSec,
      level,
    };
  }

  private enqueue(event: NewEvent): Promise<unknown> {
    this.publishing = this.publishing
      .then(() => this.deps.publisher.publish(event))
      .catch((error: unknown) => this.deps.log(`system source: could not publish ${event.type}: ${(error as Error).message}`));
    return this.publishing;
  }
}
