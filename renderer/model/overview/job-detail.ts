// A job's runs as the overview shows them: each run (topic `job/<name>/<run>`) with
// its state, progress, elapsed time and last line from its status updates, and its
// result once its `end` came; the durations of finished runs over time.

import type { EndData, HeraldEvent } from '../../../server/protocol/events.ts';
import { TimeSeries } from './time-series.ts';

export interface JobRunView {
  run: string;
  topic: string;
  /** When the run started (its status's startedAt, else its first event). */
  startedAt: number;
  state: string;
  /** 0..1, or null when the run has shown none. */
  progress: number | null;
  elapsedMs: number;
  /** When elapsedMs was said. */
  elapsedAt: number;
  lastLine: string | null;
  end: EndData | null;
}

export interface JobDetail {
  kind: 'job';
  /** Oldest first, at most MAX_RUNS. */
  runs: JobRunView[];
  /** Finished runs: end time to duration in ms. */
  durations: TimeSeries;
  /** The runs by id. */
  byRun: Map<string, JobRunView>;
}

export const MAX_RUNS = 200;

export function newJobDetail(): JobDetail {
  return { kind: 'job', runs: [], durations: new TimeSeries(), byRun: new Map() };
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function foldJob(detail: JobDetail, event: HeraldEvent): boolean {
  const run = event.data.topic.split('/')[2];
  if (run === undefined || event.type === 'gap') return false;
  let view = detail.byRun.get(run);
  if (!view) {
    view = { run, topic: event.data.topic, startedAt: event.data.time, state: 'queued', progress: null, elapsedMs: 0, elapsedAt: event.data.time, lastLine: null, end: null };
    detail.byRun.set(run, view);
    const last = detail.runs[detail.runs.length - 1];
    detail.runs.push(view);
    if (last && last.startedAt > view.startedAt) detail.runs.sort((a, b) => a.startedAt - b.startedAt);
    if (detail.runs.length > MAX_RUNS) for (const old of detail.runs.splice(0, detail.runs.length - MAX_RUNS)) detail.byRun.delete(old.run);
  }
  if (event.type === 'update') {
    const { status } = event.data;
    if (typeof status['state'] === 'string') view.state = status['state'];
    const started = num(status['startedAt']);
    if (started !== null) view.startedAt = started;
    const progress = num(status['progress']);
    view.progress = progress === null ? view.progress : Math.min(1, Math.max(0, progress));
    view.elapsedMs = num(status['elapsedMs']) ?? view.elapsedMs;
    view.elapsedAt = event.data.time;
    if (typeof status['lastLine'] === 'string') view.lastLine = status['lastLine'];
    return true;
  }
  if (event.type === 'end') {
    view.end = event.data;
    view.state = event.data.state;
    view.elapsedMs = event.data.durationMs;
    if (event.data.state === 'succeeded') view.progress = 1;
    detail.durations.push(event.data.time, event.data.durationMs);
    return true;
  }
  return false;
}

/** The newest run that has not ended, if any. */
export function runningRun(detail: JobDetail): JobRunView | null {
  for (let i = detail.runs.length - 1; i >= 0; i--) {
    const run = detail.runs[i]!;
    if (!run.end) return run;
  }
  return null;
}

/** Finished runs, newest last, at most `count`. */
export function finishedRuns(detail: JobDetail, count: number): JobRunView[] {
  return detail.runs.filter((r) => r.end !== null).slice(-count);
}
