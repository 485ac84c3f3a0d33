// A probe on topic `probe/<name>`: check on an interval (the next check is armed
// when the previous one finishes, so nothing polls faster than `everySec`), send an
// `update` when the value changed (numbers: moved at least `changePct` percent), and
// `alert`s on thresholds with hysteresis. A probe that cannot get a value is
// critical with the reason, and recovers by itself on the next good check.

import type { ProbeConfig } from '../../config/config-types.ts';
import type { Clock } from '../../protocol/clock.ts';
import type { Publisher } from '../../core/publisher.ts';
import type { AlertData, NewEvent } from '../../protocol/events.ts';
import { MetricAlerts } from '../metric-alerts.ts';
import { linesFrom } from '../thresholds.ts';
import { checkCommand } from './command-check.ts';
import { checkHttp } from './http-check.ts';
import { cutWithin } from '../../protocol/graphemes.ts';
import { numericValue, type ProbeReading } from './probe-reading.ts';

export interface ProbeDeps {
  publisher: Publisher;
  clock: Clock;
  log: (message: string) => void;
  fetch?: typeof fetch;
}

const FIRST_CHECK_DELAY_MS = 1000;
const FAULT_METRICS = ['reachable', 'status', 'value'] as const;
const RECOVERED: Record<(typeof FAULT_METRICS)[number], string> = {
  reachable: 'is reachable again',
  status: 'answers with the expected status again',
  value: 'has a value again',
};

export class Probe {
  readonly name: string;
  readonly topic: string;
  private readonly config: ProbeConfig;
  private readonly deps: ProbeDeps;
  private readonly alerts: MetricAlerts;
  /** The value last sent in an update, or the reason it failed. */
  private lastSent: { ok: true; value: unknown } | { ok: false; reason: string } | null = null;
  private lastLevel: string | null = null;
  private timer: unknown = null;
  private running = false;
  private readonly abort = new AbortController();
  private inFlight: Promise<void> | null = null;
  private publishing: Promise<unknown> = Promise.resolve();
  private warnedNotNumeric = false;

  constructor(name: string, config: ProbeConfig, deps: ProbeDeps) {
    this.name = name;
    this.topic = `probe/${name}`;
    this.config = config;
    this.deps = deps;
    this.alerts = new MetricAlerts(this.topic, {
      holdMs: (config.holdSec ?? 0) * 1000,
      marginPct: config.marginPct ?? 5,
    });
    if (config.latencyMs) this.alerts.define('latencyMs', { lines: linesFrom(config.latencyMs, 'above'), label: `${name} latency`, unit: ' ms' });
    if (config.above) this.alerts.define('above', { lines: linesFrom(config.above, 'above'), label: name, unit: '' });
    if (config.below) this.alerts.define('below', { lines: linesFrom(config.below, 'below'), label: name, unit: '' });
  }

  /**
   * Check soon, then every `everySec` after each check ends. The first check waits
   * a moment because sources start before the server listens, and a probe of the
   * server itself (a common uptime check) would otherwise fail once at every start.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = this.deps.clock.setTimeout(() => this.loop(), Math.min(FIRST_CHECK_DELAY_MS, this.everyMs));
  }

  /** Stop checking; an in-flight check is aborted and awaited, with what it publishes. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.inFlight;
    await this.publishing;
  }

  /** One check: read, compare, publish. Never throws. */
  async check(): Promise<void> {
    let reading: ProbeReading;
    try {
      reading = await this.read();
    } catch (error) {
      reading = { ok: false, metric: 'reachable', reason: `probe ${this.name} failed: ${(error as Error).message}` };
    }
    if (this.abort.signal.aborted && !reading.ok) return;
    const now = Math.round(this.deps.clock.now());
    const alerts = reading.ok ? this.observe(reading, now) : this.fault(reading, now);
    const level = this.alerts.level;
    if (this.changed(reading) || level !== this.lastLevel) {
      this.lastSent = reading.ok ? { ok: true, value: reading.value } : { ok: false, reason: reading.reason };
      this.lastLevel = level;
      void this.enqueue({ type: 'update', data: { topic: this.topic, time: now, status: this.status(reading, level) } });
    }
    for (const alert of alerts) void this.enqueue({ type: 'alert', data: alert });
    await this.publishing;
  }

  private loop(): void {
    this.timer = null;
    this.inFlight = this.check().finally(() => {
      this.inFlight = null;
      if (this.running) this.timer = this.deps.clock.setTimeout(() => this.loop(), this.everyMs);
    });
  }

  private get everyMs(): number {
    return (this.config.everySec ?? 30) * 1000;
  }

  private read(): Promise<ProbeReading> {
    const { http, command } = this.config;
    if (http !== undefined) return checkHttp({ ...this.config, http }, { fetch: this.deps.fetch ?? fetch, signal: this.abort.signal });
    if (command !== undefined) return checkCommand({ ...this.config, command }, this.abort.signal);
    throw new Error('a probe needs "http" or "command"');
  }

  private observe(reading: ProbeReading & { ok: true }, now: number): AlertData[] {
    const out: (AlertData | null)[] = FAULT_METRICS.map((metric) => this.alerts.recover(metric, now, `${this.name} is back: ${describe(reading.value)}`));
    if (reading.latencyMs !== undefined) out.push(this.alerts.observe('latencyMs', reading.latencyMs, now));
    if (this.alerts.has('above') || this.alerts.has('below')) {
      const value = numericValue(reading.value);
      if (value === null) {
        if (!this.warnedNotNumeric) this.deps.log(`probe ${this.name}: thresholds need a number, got ${describe(reading.value)}`);
        this.warnedNotNumeric = true;
      } else {
        out.push(this.alerts.observe('above', value, now), this.alerts.observe('below', value, now));
      }
    }
    return out.filter((a): a is AlertData => a !== null);
  }

  private fault(reading: ProbeReading & { ok: false }, now: number): AlertData[] {
    const out = FAULT_METRICS.filter((m) => m !== reading.metric).map((m) =>
      this.alerts.recover(m, now, `${this.name} ${RECOVERED[m]}`),
    );
    out.push(this.alerts.fail(reading.metric, reading.reason, now));
    return out.filter((a): a is AlertData => a !== null);
  }

  /** The seed's rule, with a dead band for numbers: only a real change is news. */
  private changed(reading: ProbeReading): boolean {
    const last = this.lastSent;
    if (last === null || last.ok !== reading.ok) return true;
    if (!last.ok || !reading.ok) return !last.ok && !reading.ok && last.reason !== reading.reason;
    const before = numericValue(last.value);
    const after = numericValue(reading.value);
    if (before !== null && after !== null) {
      if (before === after) return false;
      const changePct = this.config.changePct ?? 0;
      if (changePct === 0 || before === 0) return true;
      return (Math.abs(after - before) / Math.abs(before)) * 100 >= changePct;
    }
    return JSON.stringify(last.value) !== JSON.stringify(reading.value);
  }

  private status(reading: ProbeReading, level: string): Record<string, unknown> {
    const status: Record<string, unknown> = { ok: reading.ok, level };
    if (reading.ok) status.value = reading.value;
    else status.error = reading.reason;
    if (reading.httpStatus !== undefined) status.httpStatus = reading.httpStatus;
    if (reading.latencyMs !== undefined) status.latencyMs = reading.latencyMs;
    // The lines in force, so a chart can draw them (only the configured ones).
    const { latencyMs, above, below } = this.config;
    if (latencyMs || above || below) status.thresholds = { ...(latencyMs ? { latencyMs } : {}), ...(above ? { above } : {}), ...(below ? { below } : {}) };
    return status;
  }

  private enqueue(event: NewEvent): Promise<unknown> {
    this.publishing = this.publishing
      .then(() => this.deps.publisher.publish(event))
      .catch((error: unknown) => this.deps.log(`probe ${this.name}: could not publish ${event.type}: ${(error as Error).message}`));
    return this.publishing;
  }
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${cutWithin(text, 80)}…` : text;
}
