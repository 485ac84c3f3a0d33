// The `system` source's charts: CPU, memory, disk (the fullest mount) and the
// 1-minute load over time, from its status updates, and the alert lines they carry
// (`thresholds`, docs/configuration.md "system").

import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { TimeSeries } from './time-series.ts';

export const SYSTEM_METRICS = ['cpu', 'memory', 'disk', 'load'] as const;
export type SystemMetric = (typeof SYSTEM_METRICS)[number];

/** `[warn, critical]` lines; trouble is above them. */
export type Lines = readonly [number, number];

export interface SystemDetail {
  kind: 'system';
  series: Record<SystemMetric, TimeSeries>;
  thresholds: Partial<Record<SystemMetric, Lines>>;
  /** The mounts of the latest status (the disk chart shows the fullest). */
  mounts: string[];
}

export function newSystemDetail(): SystemDetail {
  return {
    kind: 'system',
    series: { cpu: new TimeSeries(), memory: new TimeSeries(), disk: new TimeSeries(), load: new TimeSeries() },
    thresholds: {},
    mounts: [],
  };
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A `[warn, critical]` pair, or null for anything else. */
export function linesOf(value: unknown): Lines | null {
  return Array.isArray(value) && value.length === 2 && finite(value[0]) && finite(value[1]) ? [value[0], value[1]] : null;
}

/** Fold one event in; true when something shown changed. */
export function foldSystem(detail: SystemDetail, event: HeraldEvent): boolean {
  if (event.type !== 'update') return false;
  const { status, time } = event.data;
  let changed = false;
  const add = (metric: SystemMetric, value: unknown): void => {
    if (!finite(value)) return;
    detail.series[metric].push(time, value);
    changed = true;
  };
  add('cpu', status['cpu']);
  add('memory', status['memory']);
  const disk = status['disk'];
  if (finite(disk)) add('disk', disk);
  else if (disk !== null && typeof disk === 'object' && !Array.isArray(disk)) {
    const used = Object.values(disk).filter(finite);
    if (used.length > 0) add('disk', Math.max(...used));
    detail.mounts = Object.keys(disk);
  }
  const load = status['load'];
  add('load', Array.isArray(load) ? load[0] : load);
  const thresholds = status['thresholds'];
  if (thresholds !== null && typeof thresholds === 'object') {
    const next: SystemDetail['thresholds'] = {};
    for (const metric of SYSTEM_METRICS) {
      const lines = linesOf((thresholds as Record<string, unknown>)[metric]);
      if (lines) next[metric] = lines;
    }
    detail.thresholds = next;
  }
  return changed;
}
