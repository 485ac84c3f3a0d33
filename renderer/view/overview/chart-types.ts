// What a chart of the overview is told: what it shows and how a value is said
// (ChartSpec), and what to draw now (ChartData).

import type { Lines } from '../../model/overview/system-detail.ts';

export type ChartKind = 'step' | 'bars' | 'points';

export interface ChartSpec {
  /** What it shows, e.g. "CPU". */
  label: string;
  kind: ChartKind;
  /** A value with its unit: "45.2 %". */
  format(value: number): string;
  /** A fixed top of the value axis (percentages: 100); else from the data. */
  yMax?: number;
  /** Height of the plot in CSS pixels. */
  height?: number;
}

export interface ChartData {
  times: readonly number[];
  values: readonly (number | null)[];
  from: number;
  to: number;
  lines?: { lines: Lines; direction: 'above' | 'below' } | null;
  /** The text alternative: the value now, the range, the time past a line. */
  caption: string;
  /** What the head shows beside the label, when not the last value (a count chart: the total). */
  headline?: string;
}
