import { describe, expect, it } from 'vitest';
import { MetricAlerts } from './metric-alerts.ts';
import { ThresholdTracker, linesFrom } from './thresholds.ts';

/** Feed values one second apart starting at t=0; the level after each. */
function levels(tracker: ThresholdTracker, values: number[]): string[] {
  return values.map((value, second) => {
    tracker.observe(value, second * 1000);
    return tracker.level;
  });
}

describe('threshold levels with hysteresis', () => {
  it('enters a level only after the value has stayed past the line for the hold time', () => {
    const tracker = new ThresholdTracker(linesFrom([80, 90], 'above'), { holdMs: 3000, marginPct: 5 });
    expect(levels(tracker, [85, 85, 85, 85, 85])).toEqual(['ok', 'ok', 'ok', 'warn', 'warn']);
  });

  it('restarts the hold when the value dips back inside the line', () => {
    const tracker = new ThresholdTracker(linesFrom([80, 90], 'above'), { holdMs: 2000, marginPct: 0 });
    expect(levels(tracker, [85, 85, 70, 85, 85, 85])).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'warn']);
  });

  it('does not flap when a value hovers at the line, and recovers only past the margin', () => {
    const tracker = new ThresholdTracker(linesFrom([80, 90], 'above'), { holdMs: 0, marginPct: 5 });
    // The margin is 5% of 80 = 4 points: inside 76..80 the warn level holds.
    expect(levels(tracker, [81, 79, 81, 78, 80, 77, 75.9, 79])).toEqual([
      'warn', 'warn', 'warn', 'warn', 'warn', 'warn', 'ok', 'ok',
    ]);
  });

  it('steps down from critical to warn while the value stays past the warn line', () => {
    const tracker = new ThresholdTracker(linesFrom([80, 90], 'above'), { holdMs: 0, marginPct: 5 });
    expect(levels(tracker, [95, 88, 84, 83, 70])).toEqual(['critical', 'critical', 'warn', 'warn', 'ok']);
  });

  it('raises straight to critical when the value holds past the critical line', () => {
    const tracker = new ThresholdTracker(linesFrom([80, 90], 'above'), { holdMs: 1000, marginPct: 5 });
    expect(levels(tracker, [95, 95, 95])).toEqual(['ok', 'critical', 'critical']);
  });

  it('watches falling values with "below" lines', () => {
    const tracker = new ThresholdTracker(linesFrom([20, 10], 'below'), { holdMs: 0, marginPct: 10 });
    // Margins: 2 for the warn line (clear above 22), 1 for the critical line (clear above 11).
    expect(levels(tracker, [25, 19, 9, 10.5, 11.5, 21, 23])).toEqual([
      'ok', 'warn', 'critical', 'critical', 'warn', 'warn', 'ok',
    ]);
  });

  it('ignores samples that are not numbers', () => {
    const tracker = new ThresholdTracker(linesFrom([1, 2], 'above'), { holdMs: 0, marginPct: 0 });
    expect(tracker.observe(Number.NaN, 0)).toBeNull();
    expect(tracker.level).toBe('ok');
  });
});

describe('metric alerts', () => {
  it('reports each level change once, with the previous level, the value and a message', () => {
    const alerts = new MetricAlerts('system', { holdMs: 0, marginPct: 5 });
    alerts.define('cpu', { lines: linesFrom([80, 90], 'above'), label: 'cpu', unit: '%' });
    expect(alerts.observe('cpu', 85, 1)).toEqual({
      topic: 'system', time: 1, level: 'warn', previous: 'ok', metric: 'cpu', value: 85,
      message: 'cpu at 85%: at or above the warn line of 80%',
    });
    expect(alerts.observe('cpu', 86, 2)).toBeNull();
    expect(alerts.observe('cpu', 50, 3)).toMatchObject({ level: 'ok', previous: 'warn', message: 'cpu back to normal at 50%' });
  });

  it('makes a fault critical at once, repeats it only when the reason changes, and clears it', () => {
    const alerts = new MetricAlerts('probe/site', { holdMs: 60_000, marginPct: 5 });
    expect(alerts.fail('reachable', 'connection refused', 1)).toMatchObject({ level: 'critical', previous: 'ok' });
    expect(alerts.fail('reachable', 'connection refused', 2)).toBeNull();
    expect(alerts.fail('reachable', 'timed out', 3)).toMatchObject({ level: 'critical', previous: 'critical', message: 'timed out' });
    expect(alerts.level).toBe('critical');
    expect(alerts.recover('reachable', 4, 'reachable again')).toMatchObject({ level: 'ok', previous: 'critical' });
    expect(alerts.recover('reachable', 5, 'reachable again')).toBeNull();
    expect(alerts.level).toBe('ok');
  });
});
