// A probe's checks as the overview shows them: each status update it sent (a probe
// sends one when its value, its reachability or its level changes, so a check holds
// until the next: docs/configuration.md "probes"), with its level, whether it got an
// answer, its value or error, its latency, and the lines it is judged by.

import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { formatValue, levelOf, type EventLevel } from '../../../server/protocol/event-vocabulary.ts';
import { linesOf, type Lines } from './system-detail.ts';
import { TimeSeries } from './time-series.ts';

export interface ProbeCheck {
  time: number;
  level: EventLevel;
  /** It answered (false: unreachable, wrong status, no value). */
  up: boolean;
  /** The value, or the error: publisher text. */
  text: string;
  /** The value as a number, when it is one. */
  value: number | null;
  latencyMs: number | null;
}

export interface ProbeDetail {
  kind: 'probe';
  checks: TimeSeries<ProbeCheck>;
  /** The numeric values and the latencies over time, for its chart. */
  values: TimeSeries;
  latencies: TimeSeries;
  thresholds: { latencyMs?: Lines; above?: Lines; below?: Lines };
}

export function newProbeDetail(): ProbeDetail {
  return { kind: 'probe', checks: new TimeSeries(), values: new TimeSeries(), latencies: new TimeSeries(), thresholds: {} };
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function numeric(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return null;
}

export function foldProbe(detail: ProbeDetail, event: HeraldEvent): boolean {
  if (event.type !== 'update') return false;
  const { status, time } = event.data;
  const up = status['ok'] !== false;
  const latency = status['latencyMs'];
  const check: ProbeCheck = {
    time,
    level: levelOf(event),
    up,
    text: up ? formatValue(status['value']) : formatValue(status['error'] ?? 'no answer'),
    value: up ? numeric(status['value']) : null,
    latencyMs: typeof latency === 'number' && Number.isFinite(latency) ? latency : null,
  };
  detail.checks.push(time, check);
  if (check.value !== null) detail.values.push(time, check.value);
  if (check.latencyMs !== null) detail.latencies.push(time, check.latencyMs);
  const thresholds = status['thresholds'];
  const lines = thresholds !== null && typeof thresholds === 'object' ? (thresholds as Record<string, unknown>) : {};
  const next: ProbeDetail['thresholds'] = {};
  for (const key of ['latencyMs', 'above', 'below'] as const) {
    const pair = linesOf(lines[key]);
    if (pair) next[key] = pair;
  }
  detail.thresholds = next;
  return true;
}
