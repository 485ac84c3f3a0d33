// The alert side of a topic: one ThresholdTracker per measured metric, plus faults
// (a probe that cannot reach its target, a sampler that throws) which are critical
// at once and clear by themselves on the next good sample. Produces the `alert`
// payloads (server/protocol/events.ts AlertData); the caller publishes them.

import { worstLevel, type AlertData, type Level } from '../protocol/events.ts';
import { ThresholdTracker, type Hysteresis, type LevelChange, type Lines } from './thresholds.ts';

export interface MetricDefinition {
  lines: Lines;
  /** Shown in messages, e.g. "cpu" or "disk /". */
  label: string;
  /** Appended to values in messages, e.g. "%" or " ms". */
  unit: string;
}

function shown(value: number, unit: string): string {
  const rounded = Number.isInteger(value) ? String(value) : String(Math.round(value * 10) / 10);
  return `${rounded}${unit}`;
}

export class MetricAlerts {
  private readonly topic: string;
  private readonly hysteresis: Hysteresis;
  private readonly trackers = new Map<string, { tracker: ThresholdTracker; definition: MetricDefinition }>();
  private readonly faults = new Map<string, string>();

  constructor(topic: string, hysteresis: Hysteresis) {
    this.topic = topic;
    this.hysteresis = hysteresis;
  }

  define(metric: string, definition: MetricDefinition): void {
    this.trackers.set(metric, { tracker: new ThresholdTracker(definition.lines, this.hysteresis), definition });
  }

  has(metric: string): boolean {
    return this.trackers.has(metric);
  }

  /** Feed a sample of `metric`; an alert when its level changed. Unknown metrics are ignored. */
  observe(metric: string, value: number, now: number): AlertData | null {
    const entry = this.trackers.get(metric);
    if (!entry) return null;
    const change = entry.tracker.observe(value, now);
    if (!change) return null;
    return this.alert(metric, change, value, now, this.message(entry.tracker, entry.definition, change, value));
  }

  /** `metric` failed for `reason`: critical now (again only when the reason changes). */
  fail(metric: string, reason: string, now: number): AlertData | null {
    const before = this.faults.get(metric);
    if (before === reason) return null;
    this.faults.set(metric, reason);
    return this.alert(metric, { level: 'critical', previous: before === undefined ? 'ok' : 'critical' }, null, now, reason);
  }

  /** `metric` works again: an `ok` alert if it had failed. */
  recover(metric: string, now: number, message: string): AlertData | null {
    if (!this.faults.has(metric)) return null;
    this.faults.delete(metric);
    return this.alert(metric, { level: 'ok', previous: 'critical' }, null, now, message);
  }

  /** The worst level over every metric and fault, for the topic's status. */
  get level(): Level {
    let level: Level = this.faults.size > 0 ? 'critical' : 'ok';
    for (const { tracker } of this.trackers.values()) level = worstLevel(level, tracker.level);
    return level;
  }

  private alert(metric: string, change: LevelChange, value: number | null, now: number, message: string): AlertData {
    return { topic: this.topic, time: now, level: change.level, previous: change.previous, metric, value, message };
  }

  private message(tracker: ThresholdTracker, definition: MetricDefinition, change: LevelChange, value: number): string {
    const { label, unit } = definition;
    const now = shown(value, unit);
    if (change.level === 'ok') return `${label} back to normal at ${now}`;
    const side = definition.lines.direction === 'above' ? 'above' : 'below';
    const line = shown(tracker.line(change.level), unit);
    const held = this.hysteresis.holdMs > 0 ? ` for ${this.hysteresis.holdMs / 1000}s` : '';
    if (change.previous === 'critical') return `${label} eased to ${now}, still at or ${side} the warn line of ${line}`;
    return `${label} at ${now}: at or ${side} the ${change.level} line of ${line}${held}`;
  }
}
