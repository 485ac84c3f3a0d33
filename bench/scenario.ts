// What a benchmark scenario is. bench/run.ts runs every registered scenario
// (bench/scenarios/index.ts) against each of its targets, interleaved, several times,
// and bench/report.ts turns the samples into tables. To add a scenario: write a module
// that exports a `Scenario`, and add it to the list in bench/scenarios/index.ts.

import type { ServerTarget } from './targets.ts';

export interface Figure {
  key: string;
  label: string;
  unit: string;
  /** Which way is better, for the ratio column; null when the figure is a count or a setting. */
  better: 'higher' | 'lower' | null;
  digits: number;
}

/** One run of a scenario against one target. */
export interface Sample {
  values: Record<string, number | null>;
  /** What makes this run a failure (lost events, failed connections, errors). */
  problems: string[];
  /** Anything else worth reading (e.g. why saturation stopped). */
  notes: string[];
}

export interface ScenarioContext {
  target: ServerTarget;
  quick: boolean;
  /** 1-based. */
  repetition: number;
  /** A fresh directory for this run (data dirs); removed after the benchmark. */
  workDir: string;
  /** Earlier samples of this scenario against this target, in this invocation. */
  previous: readonly Sample[];
  log(line: string): void;
}

/** How a scenario's figures compare with one of the targets. */
export interface Verdict {
  goal: string;
  /** null when it could not be judged (a target missing, a figure absent). */
  met: boolean | null;
  detail: string;
}

/** Median of each figure per target name. */
export type Medians = ReadonlyMap<string, Readonly<Record<string, number | null>>>;

export interface Scenario {
  name: string;
  title: string;
  /** What is done and what each figure means, for the report. */
  description: string;
  figures: readonly Figure[];
  /** The servers to compare; the first is the subject and the others its baselines (ratio columns). */
  targets: readonly ServerTarget[];
  /** Repetitions, when not the run's default (e.g. a slow measurement done once). */
  repetitions?: (quick: boolean) => number;
  run(context: ScenarioContext): Promise<Sample>;
  verdicts?(medians: Medians): Verdict[];
}

export function emptySample(): Sample {
  return { values: {}, problems: [], notes: [] };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median of each figure over the samples, ignoring runs where it is missing. */
export function mediansOf(samples: readonly Sample[], figures: readonly Figure[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const figure of figures) {
    const values = samples.map((s) => s.values[figure.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    out[figure.key] = median(values);
  }
  return out;
}
