// A series cut to a range for a chart: the points inside it, led by the one that held
// when the range began (moved to the range's start), so a step line starts at the
// left edge with the value it had then. A series that began inside the range is shown
// from its first point (an hour of empty chart says nothing) and said "since 14:05".

import type { TimeRange } from '../../model/overview/time-range.ts';
import type { TimeSeries } from '../../model/overview/time-series.ts';
import { clockTime } from '../time-words.ts';

export interface Window {
  /** Where the chart starts: the range's start, or the first point when the series began later. */
  start: number;
  /** The span in words: "over the last hour", or "since 14:05:09" when the series began later. */
  words: string;
  times: number[];
  values: number[];
  /** Lowest and highest value inside the range; null when it holds none. */
  min: number | null;
  max: number | null;
}

/** Less than this after the range's start, the series counts as covering the whole range. */
const SLACK_MS = 60_000;

export function seriesWindow(series: TimeSeries, range: TimeRange, to: number, holds = true): Window {
  const from = to - range.ms;
  const first0 = holds ? Math.max(0, series.indexAt(from)) : series.indexAt(from - 1) + 1;
  const times: number[] = [];
  const values: number[] = [];
  let min: number | null = null;
  let max: number | null = null;
  for (let i = first0; i < series.length && series.times[i]! <= to; i++) {
    const value = series.values[i]!;
    times.push(Math.max(series.times[i]!, from));
    values.push(value);
    min = min === null ? value : Math.min(min, value);
    max = max === null ? value : Math.max(max, value);
  }
  const first = times[0];
  const late = first !== undefined && first > from + SLACK_MS;
  // Points (not a line) need room on both sides: start a little before the first.
  const start = !late ? from : holds ? first : Math.min(first - SLACK_MS, to - SLACK_MS);
  return { times, values, min, max, start, words: late ? `since ${clockTime(first, to)}` : `over ${range.words}` };
}
