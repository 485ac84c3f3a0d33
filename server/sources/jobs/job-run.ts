// One run of a configured job on topic `job/<name>/<run>`: `update`s with state
// queued -> running -> succeeded | failed | cancelled | timed-out, progress and the
// last output line (at most one update per `updateEveryMs`, the newest status
// winning), then `end` with the exit code, duration and last lines.

import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { JobConfig } from '../../config/config-types.ts';
import type { Clock } from '../../protocol/clock.ts';
import type { Publisher } from '../../core/publisher.ts';
import type { EndData, EndState, NewEvent } from '../../protocol/events.ts';
import { formatDuration } from '../../protocol/event-vocabulary.ts';
import { stopTree } from '../process-group.ts';
import { expandHome, exitStatus, spawnShell, whenExited } from '../shell.ts';
import { RunTracker, type RunStatus } from './run-tracker.ts';

export type RunTrigger = 'api' | 'schedule';

export interface JobRunDeps {
  publisher: Publisher;
  clock: Clock;
  log: (message: string) => void;
  /** Least time between two progress updates while running. */
  updateEveryMs: number;
  /** After SIGTERM, how long a stopped run's process group gets before SIGKILL. */
  killGraceMs: number;
}

/** What `GET /jobs/:name/runs/:run` answers. */
export interface RunInfo extends RunStatus {
  job: string;
  run: string;
  topic: string;
  trigger: RunTrigger;
}

/** After the shell exits, how long to wait for its pipes to drain (a background child may hold them). */
const DRAIN_MS = 1000;

export class JobRun {
  readonly job: string;
  readonly run: string;
  readonly topic: string;
  readonly trigger: RunTrigger;
  readonly tracker: RunTracker;
  /** Resolves with the `end` payload once it has been published. */
  readonly finished: Promise<EndData>;
  private readonly config: JobConfig;
  private readonly deps: JobRunDeps;
  private child: ChildProcess | null = null;
  private stopReason: 'cancelled' | 'timed-out' | null = null;
  /** Once stopped: resolves when the run's process group is empty or has been sent SIGKILL. */
  private treeStopped: Promise<void> = Promise.resolve();
  private stopNote: string | undefined;
  private ended = false;
  private publishing: Promise<unknown> = Promise.resolve();
  private lastUpdateAt = -Infinity;
  private updateTimer: unknown = null;
  private readonly timers: unknown[] = [];
  private resolveFinished!: (end: EndData) => void;

  constructor(job: string, run: string, config: JobConfig, trigger: RunTrigger, deps: JobRunDeps) {
    this.job = job;
    this.run = run;
    this.topic = `job/${job}/${run}`;
    this.trigger = trigger;
    this.config = config;
    this.deps = deps;
    this.tracker = new RunTracker(config.command, Math.round(deps.clock.now()), {
      onChange: () => {
        if (!this.ended) this.scheduleUpdate();
      },
    });
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  get active(): boolean {
    return !this.ended;
  }

  /** How a run that is being stopped will end, or null. */
  get stopping(): 'cancelled' | 'timed-out' | null {
    return this.ended ? null : this.stopReason;
  }

  /** Resolves once the run has ended and, if it was stopped, its processes are gone or SIGKILLed. */
  settled(): Promise<void> {
    return Promise.all([this.finished, this.treeStopped]).then(() => {});
  }

  info(): RunInfo {
    return { job: this.job, run: this.run, topic: this.topic, trigger: this.trigger, ...this.tracker.status(this.now()) };
  }

  logText(): string {
    return this.tracker.log.text();
  }

  /** Publish `queued` (resolved once it is stored), then start the command. */
  async start(): Promise<void> {
    await this.publishUpdate();
    if (this.stopReason !== null) {
      this.finish(this.stopReason, null);
      return;
    }
    const cwd = this.config.cwd === undefined ? undefined : expandHome(this.config.cwd);
    if (cwd !== undefined && !isFolder(cwd)) {
      this.tracker.output('stderr', `herald: working folder ${cwd} does not exist\n`);
      this.finish('failed', null);
      return;
    }
    const child = spawnShell(this.config.command, {
      ...(cwd === undefined ? {} : { cwd }),
      env: { ...this.config.env, HERALD_JOB: this.job, HERALD_RUN: this.run, HERALD_TOPIC: this.topic },
    });
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.onOutput('stdout', text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => this.onOutput('stderr', text));
    child.once('error', (error) => {
      this.tracker.output('stderr', `herald: could not start the command: ${error.message}\n`);
      this.finish(this.stopReason ?? 'failed', null);
    });
    // Wait for the pipes to drain so the last lines are kept, but not for ever.
    void whenExited(child, DRAIN_MS).then(({ code, signal }) => this.onExited(exitStatus(code, signal)));
    if (this.config.timeoutSec !== undefined) {
      const seconds = this.config.timeoutSec;
      this.timers.push(
        this.deps.clock.setTimeout(() => this.stop('timed-out', `timed out after ${formatDuration(seconds * 1000)}`), seconds * 1000),
      );
    }
    this.tracker.state = 'running';
    void this.publishUpdate();
  }

  /**
   * Stop the run: its process group gets SIGTERM, then SIGKILL after the grace time
   * if any of it is left, even when the shell has exited by then (a child may ignore
   * SIGTERM). False if it already ended or is being stopped.
   */
  stop(reason: 'cancelled' | 'timed-out', note?: string): boolean {
    if (this.ended || this.stopReason !== null) return false;
    this.stopReason = reason;
    this.stopNote = note;
    if (this.child) this.treeStopped = stopTree(this.child, this.deps.killGraceMs);
    return true;
  }

  private onOutput(stream: 'stdout' | 'stderr', text: string): void {
    if (!this.ended) this.tracker.output(stream, text);
  }

  private onExited(status: number | null): void {
    if (this.ended) return;
    this.finish(this.stopReason ?? (status === 0 ? 'succeeded' : 'failed'), status);
  }

  private finish(state: EndState, exitCode: number | null): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers) this.deps.clock.clearTimeout(timer);
    if (this.updateTimer !== null) this.deps.clock.clearTimeout(this.updateTimer);
    this.child?.stdout?.destroy();
    this.child?.stderr?.destroy();
    this.tracker.flush();
    this.tracker.finish(state, exitCode, this.now());
    void this.publishUpdate();
    const end = this.tracker.end(this.topic, this.stopNote);
    void this.enqueue({ type: 'end', data: end }).then(() => this.resolveFinished(end));
  }

  /** At most one update per updateEveryMs: send now, or once the interval has passed. */
  private scheduleUpdate(): void {
    if (this.updateTimer !== null) return;
    const wait = this.lastUpdateAt + this.deps.updateEveryMs - this.now();
    if (wait <= 0) {
      void this.publishUpdate();
      return;
    }
    this.updateTimer = this.deps.clock.setTimeout(() => {
      this.updateTimer = null;
      if (!this.ended) void this.publishUpdate();
    }, wait);
  }

  private publishUpdate(): Promise<unknown> {
    this.lastUpdateAt = this.now();
    return this.enqueue({ type: 'update', data: { topic: this.topic, time: this.now(), status: this.tracker.status(this.now()) } });
  }

  /** Publish in order; a failed publish is logged, never thrown into the run. */
  private enqueue(event: NewEvent): Promise<unknown> {
    this.publishing = this.publishing
      .then(() => this.deps.publisher.publish(event))
      .catch((error: unknown) => this.deps.log(`job ${this.job} run ${this.run}: could not publish ${event.type}: ${(error as Error).message}`));
    return this.publishing;
  }

  private now(): number {
    return Math.round(this.deps.clock.now());
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
