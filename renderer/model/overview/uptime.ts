// What the overview computes over a time range from values that hold until the next
// one (a probe's state, a system figure): uptime, the cells of an uptime strip, the
// time a figure spent above a line, and counts per time bucket.

import type { EventLevel } from '../../../server/protocol/event-vocabulary.ts';
import type { ProbeCheck } from './probe-detail.ts';
import { indexAfter, type TimeSeries } from './time-series.ts';

/** Call `visit(index, start, end)` for each point's span inside [from, to] (a point holds until the next). */
function eachSpan(times: readonly number[], from: number, to: number, visit: (index: number, start: number, end: number) => void): void {
  let i = Math.max(0, indexAfter(times, from) - 1);
  for (; i < times.length && times[i]! < to; i++) {
    const start = Math.max(times[i]!, from);
    const end = Math.min(times[i + 1] ?? to, to);
    if (end > start) visit(i, start, end);
  }
}

export interface Uptime {
  /** Up time over known time, 0..1; null when nothing is known in the range. */
  ratio: number | null;
  /** How much of the range the checks cover (a probe seen for an hour knows an hour of the week). */
  knownMs: number;
  downMs: number;
}

export function uptimeOf(checks: TimeSeries<ProbeCheck>, from: number, to: number): Uptime {
  let knownMs = 0;
  let downMs = 0;
  eachSpan(checks.times, from, to, (i, start, end) => {
    knownMs += end - start;
    if (!checks.values[i]!.up) downMs += end - start;
  });
  return { ratio: knownMs > 0 ? (knownMs - downMs) / knownMs : null, knownMs, downMs };
}

const RANK: Record<EventLevel, number> = { info: 0, ok: 1, warn: 2, critical: 3 };

export interface StripCell {
  from: number;
  to: number;
  /** The worst level held in the cell; null before the first check. */
  level: EventLevel | null;
  /** The check that held in the cell, the worst if several did. */
  check: ProbeCheck | null;
}

/** `count` equal cells over [from, to], each with the worst state that held in it. */
export function stripCells(checks: TimeSeries<ProbeCheck>, from: number, to: number, count: number): StripCell[] {
  const width = (to - from) / count;
  const cells: StripCell[] = [];
  for (let c = 0; c < count; c++) {
    const a = from + c * width;
    const b = c === count - 1 ? to : a + width;
    let check: ProbeCheck | null = null;
    eachSpan(checks.times, a, b, (i) => {
      const candidate = checks.values[i]!;
      if (!check || RANK[candidate.level] > RANK[check.level] || (!candidate.up && check.up)) check = candidate;
    });
    cells.push({ from: a, to: b, level: (check as ProbeCheck | null)?.level ?? null, check });
  }
  return cells;
}

/** How long the figure was at or above `line` within [from, to]. */
export function timeAtOrAbove(series: TimeSeries, line: number, from: number, to: number): number {
  let total = 0;
  eachSpan(series.times, from, to, (i, start, end) => {
    if (series.values[i]! >= line) total += end - start;
  });
  return total;
}

export interface Buckets {
  /** Start time of each bucket. */
  starts: number[];
  counts: number[];
}

/** How many times fall in each `bucketMs` bucket (aligned to multiples of it) from `from` to `to`. */
export function countPerBucket(times: readonly number[], from: number, to: number, bucketMs: number): Buckets {
  const starts: number[] = [];
  const counts: number[] = [];
  for (let start = Math.floor(from / bucketMs) * bucketMs; start < to; start += bucketMs) {
    starts.push(start);
    counts.push(indexAfter(times, start + bucketMs - 1) - indexAfter(times, start - 1));
  }
  return { starts, counts };
}
