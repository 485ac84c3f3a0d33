// The lifecycle of one command run as status: state, progress, the last output
// line, elapsed time, and the end summary. Shared by configured jobs (published in
// the server) and `herald run` (published over HTTP), so both stream the same shape.

import type { EndData, EndState } from '../../protocol/events.ts';
import { LineSplitter, OutputLog } from './output-log.ts';
import { isProgressDirective, parseProgress } from './progress.ts';
import { truncateUtf8 } from '../../protocol/utf8.ts';
import { formatDuration } from '../../protocol/event-vocabulary.ts';

export type RunState = 'queued' | 'running' | EndState;

/** The `status` of a run's `update` events. */
export interface RunStatus {
  [key: string]: unknown;
  state: RunState;
  command: string;
  startedAt: number;
  elapsedMs: number;
  /** 0..1 when the output has shown it, else null. */
  progress: number | null;
  lastLine: string | null;
  exitCode: number | null;
}

/** How many output lines an `end` summary repeats. */
export const SUMMARY_LINES = 5;
/**
 * UTF-8 bytes of an output line shown in a status or summary. Bytes, not characters:
 * five lines of CJK text must still fit a publish body (4 KiB by default).
 */
const MAX_SUMMARY_LINE_BYTES = 300;

export class RunTracker {
  readonly command: string;
  readonly startedAt: number;
  readonly log: OutputLog;
  state: RunState = 'queued';
  exitCode: number | null = null;
  private progress: number | null = null;
  private lastLine: string | null = null;
  private endedAt: number | null = null;
  private readonly splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  /** Called after each output line that changed the status, so a change can be sent line by line. */
  private readonly onChange: () => void;

  constructor(command: string, startedAt: number, options: { log?: OutputLog; onChange?: () => void } = {}) {
    this.command = command;
    this.startedAt = startedAt;
    this.log = options.log ?? new OutputLog();
    this.onChange = options.onChange ?? (() => {});
  }

  /** Feed output text; true when the status it shows (progress, last line) changed. */
  output(stream: 'stdout' | 'stderr', text: string): boolean {
    return this.lines(this.splitters[stream].push(text));
  }

  /** The streams ended: take their unterminated last lines. */
  flush(): boolean {
    return this.lines([...this.splitters.stdout.flush(), ...this.splitters.stderr.flush()]);
  }

  finish(state: EndState, exitCode: number | null, now: number): void {
    this.state = state;
    this.exitCode = exitCode;
    this.endedAt = now;
    if (state === 'succeeded') this.progress = 1;
  }

  status(now: number): RunStatus {
    return {
      state: this.state,
      command: this.command,
      startedAt: this.startedAt,
      elapsedMs: Math.max(0, (this.endedAt ?? now) - this.startedAt),
      progress: this.progress,
      lastLine: this.lastLine,
      exitCode: this.exitCode,
    };
  }

  /** The `end` payload: state, exit code, duration, and a summary with the last lines. */
  end(topic: string, reason?: string): EndData {
    const state = this.state === 'queued' || this.state === 'running' ? 'failed' : this.state;
    const endedAt = this.endedAt ?? this.startedAt;
    const durationMs = Math.max(0, endedAt - this.startedAt);
    const headline = reason ?? this.headline(state, durationMs);
    const lines = this.log.lastLines(SUMMARY_LINES).map((l) => truncateUtf8(l, MAX_SUMMARY_LINE_BYTES));
    return {
      topic,
      time: endedAt,
      state,
      exitCode: this.exitCode,
      durationMs,
      summary: [headline, ...lines].join('\n'),
    };
  }

  private headline(state: EndState, durationMs: number): string {
    const took = formatDuration(durationMs);
    switch (state) {
      case 'succeeded':
        return `succeeded in ${took}`;
      case 'failed':
        return this.exitCode === null ? `failed after ${took}` : `failed with exit code ${this.exitCode} after ${took}`;
      case 'cancelled':
        return `cancelled after ${took}`;
      case 'timed-out':
        return `timed out after ${took}`;
    }
  }

  private lines(lines: string[]): boolean {
    let changed = false;
    for (const line of lines) {
      if (this.line(line)) {
        changed = true;
        this.onChange();
      }
    }
    return changed;
  }

  private line(line: string): boolean {
    this.log.append(line);
    let changed = false;
    const progress = parseProgress(line);
    if (progress !== null && progress !== this.progress) {
      this.progress = progress;
      changed = true;
    }
    const shown = truncateUtf8(line, MAX_SUMMARY_LINE_BYTES);
    if (!isProgressDirective(line) && line.trim() !== '' && shown !== this.lastLine) {
      this.lastLine = shown;
      changed = true;
    }
    return changed;
  }
}
