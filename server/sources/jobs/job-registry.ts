// The configured jobs: starting runs (by request or schedule), refusing overlap
// unless a job allows it and runs past the per-job and server-wide caps, cancelling,
// and keeping the last runs of each job (with their bounded output) for
// GET /jobs/:name/runs/:run[/log].

import type { JobConfig } from '../../config/config-types.ts';
import { systemClock, type Clock } from '../../protocol/clock.ts';
import type { Publisher } from '../../core/publisher.ts';
import { HeraldError } from '../../protocol/errors.ts';
import { safeTimers } from '../../protocol/long-timer.ts';
import { JobRun, type JobRunDeps, type RunInfo, type RunTrigger } from './job-run.ts';
import { RunIds } from './run-ids.ts';
import { nextRunAt, parseSchedule } from './schedule.ts';

export interface JobRegistryOptions {
  publisher: Publisher;
  clock?: Clock;
  log?: (message: string) => void;
  /** Least time between two progress updates of a run (default 500 ms). */
  updateEveryMs?: number;
  /** SIGTERM to SIGKILL, for cancel and timeout (default 5 s). */
  killGraceMs?: number;
  /** Finished runs kept per job, with their output (default 20). */
  keepRuns?: number;
  /** Runs going at once, all jobs together (default JOB_RUN_LIMITS.maxActiveRuns). */
  maxActiveRuns?: number;
}

/**
 * On stop, how long past the kill grace time to wait for runs to end: enough for a
 * SIGKILLed shell to exit, its pipes to drain and its `end` to be stored.
 */
const STOP_MARGIN_MS = 2000;

export const JOB_RUN_LIMITS = {
  /** Runs going at once, all jobs together. */
  maxActiveRuns: 16,
  /** Runs of one `overlap` job going at once, unless its `maxConcurrentRuns` says otherwise. */
  maxRunsPerJob: 4,
  /** What a 429 for a full cap advises: runs end on their own time, so this is a guess. */
  retryAfterSec: 5,
};

/** One entry of `GET /jobs`. */
export interface JobSummary {
  name: string;
  command: string;
  schedule: string | null;
  /** When the schedule fires next (ms since epoch), or null. */
  nextRunAt: number | null;
  overlap: boolean;
  timeoutSec: number | null;
  active: RunInfo[];
  lastRun: RunInfo | null;
}

interface JobEntry {
  name: string;
  config: JobConfig;
  runs: JobRun[];
  ids: RunIds;
  timer: unknown;
  nextRunAt: number | null;
}

export class JobRegistry {
  private readonly jobs = new Map<string, JobEntry>();
  private readonly deps: JobRunDeps;
  private readonly keepRuns: number;
  private readonly maxActiveRuns: number;
  private stopping = false;

  constructor(jobs: Record<string, JobConfig>, options: JobRegistryOptions) {
    this.deps = {
      publisher: options.publisher,
      clock: options.clock ?? systemClock,
      log: options.log ?? ((message) => console.error(message)),
      updateEveryMs: options.updateEveryMs ?? 500,
      killGraceMs: options.killGraceMs ?? 5000,
    };
    this.keepRuns = options.keepRuns ?? 20;
    this.maxActiveRuns = options.maxActiveRuns ?? JOB_RUN_LIMITS.maxActiveRuns;
    for (const [name, config] of Object.entries(jobs)) {
      this.jobs.set(name, { name, config, runs: [], ids: new RunIds(), timer: null, nextRunAt: null });
    }
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map((entry) => ({
      name: entry.name,
      command: entry.config.command,
      schedule: entry.config.schedule ?? null,
      nextRunAt: entry.nextRunAt,
      overlap: entry.config.overlap === true,
      timeoutSec: entry.config.timeoutSec ?? null,
      active: entry.runs.filter((r) => r.active).map((r) => r.info()),
      lastRun: entry.runs.at(-1)?.info() ?? null,
    }));
  }

  /**
   * Start a run; resolves once its `queued` update is stored. 404 unknown job, 409
   * overlap, 429 past the job's or the server's cap of runs going at once. The
   * checks and the new run's entry happen in one step, so requests that arrive
   * together cannot pass a cap together.
   */
  async start(name: string, trigger: RunTrigger = 'api'): Promise<JobRun> {
    const entry = this.entry(name);
    if (this.stopping) throw new HeraldError('unavailable', 'the server is shutting down; no new job runs');
    const active = entry.runs.filter((r) => r.active);
    const running = active[0];
    if (running && entry.config.overlap !== true) {
      throw new HeraldError(
        'conflict',
        `job "${name}" is already running (run ${running.run}); wait for it to end, cancel it with DELETE /jobs/${name}/runs/${running.run}, or set "overlap": true in its config`,
      );
    }
    const perJob = entry.config.maxConcurrentRuns ?? JOB_RUN_LIMITS.maxRunsPerJob;
    if (active.length >= perJob) {
      throw new HeraldError('too_many', `job "${name}" already has ${active.length} runs going, its limit ("maxConcurrentRuns": ${perJob}); retry once one ends`, {
        retryAfterSec: JOB_RUN_LIMITS.retryAfterSec,
      });
    }
    const total = this.activeRuns();
    if (total >= this.maxActiveRuns) {
      throw new HeraldError('too_many', `${total} job runs are going, the server's limit ("server.maxConcurrentJobRuns": ${this.maxActiveRuns}); retry once one ends`, {
        retryAfterSec: JOB_RUN_LIMITS.retryAfterSec,
      });
    }
    const run = new JobRun(name, entry.ids.next(this.deps.clock.now()), entry.config, trigger, this.deps);
    entry.runs.push(run);
    this.forgetOldRuns(entry);
    await run.start();
    return run;
  }

  /** Cancel a run; 404 when unknown, 409 when it already ended or is already being stopped. */
  cancel(name: string, runId: string): RunInfo {
    const run = this.find(name, runId);
    if (!run.stop('cancelled')) {
      const stopping = run.stopping;
      throw new HeraldError(
        'conflict',
        stopping === null
          ? `run ${runId} of job "${name}" already ended (${run.tracker.state})`
          : `run ${runId} of job "${name}" is already being stopped; it ends ${stopping} once its processes have exited`,
      );
    }
    return run.info();
  }

  /** Runs going now (queued or running), all jobs together. */
  activeRuns(): number {
    let count = 0;
    for (const entry of this.jobs.values()) for (const run of entry.runs) if (run.active) count++;
    return count;
  }

  find(name: string, runId: string): JobRun {
    const run = this.entry(name).runs.find((r) => r.run === runId);
    if (!run) {
      throw new HeraldError('not_found', `job "${name}" has no run ${JSON.stringify(runId)} (the last ${this.keepRuns} runs are kept)`);
    }
    return run;
  }

  /** Arm every job's schedule. */
  startSchedules(): void {
    for (const entry of this.jobs.values()) {
      if (entry.config.schedule !== undefined) this.arm(entry, this.deps.clock.now());
    }
  }

  /** Disarm every schedule and leave running jobs alone (this instance stopped leading). */
  stopSchedules(): void {
    for (const entry of this.jobs.values()) {
      if (entry.timer !== null) this.deps.clock.clearTimeout(entry.timer);
      entry.timer = null;
      entry.nextRunAt = null;
    }
  }

  /**
   * Disarm schedules, stop every active run, and wait for their `end`s to be
   * published and their process groups to be empty (SIGKILL after the grace time),
   * so no job's process outlives the server. A run that has not ended a little
   * after the grace time (a process the kernel cannot kill, a stalled event log)
   * is logged and no longer waited for: shutdown is bounded.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const runs: JobRun[] = [];
    for (const entry of this.jobs.values()) {
      if (entry.timer !== null) this.deps.clock.clearTimeout(entry.timer);
      entry.timer = null;
      entry.nextRunAt = null;
      for (const run of entry.runs) {
        run.stop('cancelled', 'cancelled: the server is shutting down');
        runs.push(run);
      }
    }
    const pending = new Set(runs);
    const all = Promise.all(runs.map((run) => run.settled().then(() => pending.delete(run))));
    let timer: unknown;
    const bound = new Promise<void>((resolve) => (timer = safeTimers.setTimeout(resolve, this.deps.killGraceMs + STOP_MARGIN_MS)));
    await Promise.race([all, bound]);
    safeTimers.clearTimeout(timer);
    for (const run of pending) {
      this.deps.log(`job ${run.job} run ${run.run} had not ended ${(this.deps.killGraceMs + STOP_MARGIN_MS) / 1000}s after it was stopped; not waiting for it`);
    }
  }

  private arm(entry: JobEntry, after: number): void {
    const schedule = parseSchedule(entry.config.schedule);
    const now = this.deps.clock.now();
    // Count from the previous due time so runs do not drift; after a long sleep of
    // the machine, skip the missed runs instead of starting them all at once.
    let due = nextRunAt(schedule, after);
    if (due <= now) due = nextRunAt(schedule, now);
    entry.nextRunAt = due;
    entry.timer = this.deps.clock.setTimeout(() => {
      entry.timer = null;
      if (this.stopping) return;
      this.arm(entry, due);
      this.start(entry.name, 'schedule').catch((error: unknown) =>
        this.deps.log(`scheduled run of job ${entry.name} skipped: ${(error as Error).message}`),
      );
    }, due - now);
  }

  private entry(name: string): JobEntry {
    const entry = this.jobs.get(name);
    if (!entry) {
      const known = [...this.jobs.keys()];
      const hint = known.length === 0 ? 'no jobs are configured' : `configured jobs: ${known.join(', ')}`;
      throw new HeraldError('not_found', `no job named ${JSON.stringify(name)}; ${hint}`);
    }
    return entry;
  }

  private forgetOldRuns(entry: JobEntry): void {
    while (entry.runs.length > this.keepRuns) {
      const index = entry.runs.findIndex((r) => !r.active);
      if (index < 0) break;
      entry.runs.splice(index, 1);
    }
  }
}
