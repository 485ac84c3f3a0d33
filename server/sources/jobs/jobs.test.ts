import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobConfig } from '../../config/config-types.ts';
import type { Clock } from '../../protocol/clock.ts';
import { systemClock } from '../../protocol/clock.ts';
import { HeraldError } from '../../protocol/errors.ts';
import type { EndData, UpdateData } from '../../protocol/events.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { RecordingPublisher } from '../../../test/support/recording-publisher.ts';
import { JobRegistry } from './job-registry.ts';
import { killIfAlive, processAlive, waitUntilGone } from '../../../test/support/processes.ts';

const registries: JobRegistry[] = [];
let publisher: RecordingPublisher;
let messages: string[];

function registry(jobs: Record<string, JobConfig>, clock: Clock = systemClock): JobRegistry {
  const created = new JobRegistry(jobs, {
    publisher, clock, log: (m) => messages.push(m), updateEveryMs: 0, killGraceMs: 2000,
  });
  registries.push(created);
  return created;
}

beforeEach(() => {
  publisher = new RecordingPublisher();
  messages = [];
});
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.stop()));
});

function statuses(topic: string): UpdateData['status'][] {
  return publisher.on(topic).filter((e) => e.type === 'update').map((e) => (e.data as UpdateData).status);
}

/**
 * A child that ignores SIGTERM, saying "child PID" once it does (then the shell waits
 * for it). It lets go of the output pipes, so the run ends as soon as the shell exits.
 */
const STUBBORN_CHILD = `sh -c 'trap "" TERM; echo "child $$"; exec sleep 300 >/dev/null 2>&1' & wait`;

describe('job runs', () => {
  it('streams ordered progress updates, then end with the exit code and the last lines', async () => {
    const jobs = registry({
      build: { command: "echo 'step 1/3'; sleep 0.05; echo 'half 50%'; echo '::progress 0.9'; sleep 0.1; echo done >&2; exit 3" },
    });
    const run = await jobs.start('build');
    expect(run.topic).toMatch(/^job\/build\/\d{8}-\d{6}$/);
    const end = await run.finished;

    const events = publisher.on(run.topic);
    expect(events.at(-1)?.type).toBe('end');
    expect(events.slice(0, -1).every((e) => e.type === 'update')).toBe(true);
    const seen = statuses(run.topic);
    const states = [...new Set(seen.map((s) => s.state))];
    expect(states).toEqual(['queued', 'running', 'failed']);
    const progress = seen.map((s) => s.progress).filter((p): p is number => typeof p === 'number');
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress).toContain(0.5);
    expect(seen.at(-1)).toMatchObject({ state: 'failed', exitCode: 3, progress: 0.9, lastLine: 'done' });
    expect(end).toMatchObject({ topic: run.topic, state: 'failed', exitCode: 3 } satisfies Partial<EndData>);
    expect(end.summary).toMatch(/^failed with exit code 3 after (\d+ ms|\d+\.\d s)\nstep 1\/3\nhalf 50%\n::progress 0\.9\ndone$/);
    expect(run.logText()).toBe('step 1/3\nhalf 50%\n::progress 0.9\ndone\n');
  });

  it('ends succeeded with progress 1 when the command exits 0', async () => {
    const jobs = registry({ ok: { command: 'echo hi' } });
    const end = await (await jobs.start('ok')).finished;
    expect(end).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(end.summary).toMatch(/^succeeded in (\d+ ms|\d+\.\d s)\nhi$/);
  });

  it('cancels a run: the whole process group stops and the run ends cancelled', async () => {
    const jobs = registry({ long: { command: 'sleep 30 & echo "child $!"; wait' } });
    const run = await jobs.start('long');
    const line = await publisher.waitFor((e) => e.type === 'update' && typeof (e.data as UpdateData).status.lastLine === 'string');
    const pid = Number(String((line.data as UpdateData).status.lastLine).split(' ')[1]);
    expect(processAlive(pid)).toBe(true);

    expect(jobs.cancel('long', run.run)).toMatchObject({ run: run.run, state: 'running' });
    const end = await run.finished;
    expect(end).toMatchObject({ state: 'cancelled', exitCode: 128 + 15 });
    expect(end.summary).toMatch(/^cancelled after/);
    expect(await waitUntilGone(pid)).toBe(true);
    expect(() => jobs.cancel('long', run.run)).toThrow(/already ended \(cancelled\)/);
  });

  it('kills a child that ignores SIGTERM after the grace time, though the shell exited at once', async () => {
    const jobs = registry({ stubborn: { command: STUBBORN_CHILD } });
    const run = await jobs.start('stubborn');
    const line = await publisher.waitFor((e) => e.type === 'update' && typeof (e.data as UpdateData).status.lastLine === 'string');
    const pid = Number(String((line.data as UpdateData).status.lastLine).split(' ')[1]);
    try {
      jobs.cancel('stubborn', run.run);
      expect(await run.finished).toMatchObject({ state: 'cancelled', exitCode: 128 + 15 });
      // The shell is gone; its child ignored SIGTERM and still runs until the grace time (2 s here) ends.
      expect(processAlive(pid)).toBe(true);
      expect(await waitUntilGone(pid, 10_000)).toBe(true);
    } finally {
      killIfAlive(pid);
    }
  });

  it('says a run being stopped is being stopped, and an ended one how it ended', async () => {
    const jobs = registry({ stubborn: { command: `trap '' TERM; ${STUBBORN_CHILD}` } });
    const run = await jobs.start('stubborn');
    const line = await publisher.waitFor((e) => e.type === 'update' && typeof (e.data as UpdateData).status.lastLine === 'string');
    const pid = Number(String((line.data as UpdateData).status.lastLine).split(' ')[1]);
    try {
      jobs.cancel('stubborn', run.run);
      // The shell ignores SIGTERM too: the run goes on until the SIGKILL.
      expect(() => jobs.cancel('stubborn', run.run)).toThrow(
        `run ${run.run} of job "stubborn" is already being stopped; it ends cancelled once its processes have exited`,
      );
      await run.finished;
      expect(() => jobs.cancel('stubborn', run.run)).toThrow(`run ${run.run} of job "stubborn" already ended (cancelled)`);
    } finally {
      killIfAlive(pid);
    }
  });

  it('does not start an "every 30d" schedule or fire a 3,000,000 s timeout early on the real clock', async () => {
    const jobs = registry({
      monthly: { command: 'true', schedule: 'every 30d' },
      long: { command: 'sleep 30', timeoutSec: 3_000_000 },
    });
    jobs.startSchedules();
    const run = await jobs.start('long');
    // Node's clamped 1 ms timers would have started hundreds of runs and timed this one out by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [monthly, long] = jobs.list();
    expect(monthly).toMatchObject({ name: 'monthly', lastRun: null });
    expect(monthly?.nextRunAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(long?.active.map((r) => [r.run, r.state])).toEqual([[run.run, 'running']]);
  });

  it('runs without the server\'s secrets in its environment, unless the job\'s env passes one', async () => {
    const saved = { token: process.env.HERALD_TOKEN, redis: process.env.HERALD_REDIS_URL };
    process.env.HERALD_TOKEN = 'server-secret-token';
    process.env.HERALD_REDIS_URL = 'redis://:server-secret-password@127.0.0.1:6379';
    try {
      const jobs = registry({
        leak: { command: 'printenv HERALD_TOKEN; printenv HERALD_REDIS_URL; echo "home $HOME"' },
        chosen: { command: 'printenv HERALD_TOKEN', env: { HERALD_TOKEN: 'chosen-by-config' } },
      });
      const leak = await jobs.start('leak');
      await leak.finished;
      expect(leak.logText()).toBe(`home ${process.env.HOME}\n`);
      const chosen = await jobs.start('chosen');
      await chosen.finished;
      expect(chosen.logText()).toBe('chosen-by-config\n');
    } finally {
      for (const [name, value] of [['HERALD_TOKEN', saved.token], ['HERALD_REDIS_URL', saved.redis]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('stops a run that outlives timeoutSec and ends it timed-out (time driven by the clock)', async () => {
    const clock = new ManualClock(Date.now());
    const jobs = registry({ slow: { command: 'echo started; sleep 30', timeoutSec: 60 } }, clock);
    const run = await jobs.start('slow');
    await publisher.waitFor((e) => e.type === 'update' && (e.data as UpdateData).status.lastLine === 'started');
    clock.advance(59_000);
    expect(run.active).toBe(true);
    clock.advance(1_000);
    const end = await run.finished;
    expect(end).toMatchObject({ state: 'timed-out', durationMs: 60_000, summary: 'timed out after 1 min 0 s\nstarted' });
  });

  it('refuses a second run of a job while one is running, unless the job allows overlap', async () => {
    const jobs = registry({ solo: { command: 'sleep 30' }, many: { command: 'sleep 30', overlap: true } });
    const first = await jobs.start('solo');
    const refused = await jobs.start('solo').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HeraldError);
    expect(refused).toMatchObject({ code: 'conflict', status: 409 });
    expect((refused as Error).message).toContain(`already running (run ${first.run})`);

    const a = await jobs.start('many');
    const b = await jobs.start('many');
    expect(a.run).not.toBe(b.run);
    expect(b.run > a.run).toBe(true);
    expect(jobs.list().find((j) => j.name === 'many')?.active).toHaveLength(2);
  });

  it('answers 404 for an unknown job or run, naming what exists', async () => {
    const jobs = registry({ a: { command: 'true' } });
    await expect(jobs.start('nope')).rejects.toMatchObject({ code: 'not_found', message: 'no job named "nope"; configured jobs: a' });
    expect(() => jobs.find('a', 'x')).toThrow(/job "a" has no run "x"/);
  });

  it('fails clearly when the working folder does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-job-'));
    await rm(dir, { recursive: true });
    const jobs = registry({ lost: { command: 'true', cwd: dir } });
    const end = await (await jobs.start('lost')).finished;
    expect(end).toMatchObject({ state: 'failed', exitCode: null });
    expect(end.summary).toContain(`working folder ${dir} does not exist`);
  });

  it('runs in cwd (with ~ expanded) and with the job env', async () => {
    const jobs = registry({ where: { command: 'echo "$PWD $GREETING $HERALD_JOB"', cwd: '~', env: { GREETING: 'hello' } } });
    const run = await jobs.start('where');
    await run.finished;
    expect(run.logText()).toBe(`${process.env.HOME} hello where\n`);
  });

  it('starts runs on schedule, and skips a scheduled run while the previous one is still going', async () => {
    const clock = new ManualClock(Date.now());
    const jobs = registry({ tick: { command: 'sleep 30', schedule: 'every 10s' } }, clock);
    jobs.startSchedules();
    expect(jobs.list()[0]?.nextRunAt).toBe(clock.now() + 10_000);
    clock.advance(10_000);
    const first = await publisher.waitFor((e) => e.type === 'update');
    expect(first.data.topic).toMatch(/^job\/tick\//);
    clock.advance(10_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(messages.join('\n')).toMatch(/scheduled run of job tick skipped: job "tick" is already running/);
    expect(jobs.list()[0]?.active).toHaveLength(1);
  });

  it('on stop, kills what a run left running that ignores SIGTERM, before it resolves', async () => {
    const jobs = new JobRegistry({ stubborn: { command: STUBBORN_CHILD } }, {
      publisher, log: (m) => messages.push(m), updateEveryMs: 0, killGraceMs: 500,
    });
    await jobs.start('stubborn');
    const line = await publisher.waitFor((e) => e.type === 'update' && typeof (e.data as UpdateData).status.lastLine === 'string');
    const pid = Number(String((line.data as UpdateData).status.lastLine).split(' ')[1]);
    try {
      await jobs.stop();
      // SIGKILL has been sent when stop resolves; the kernel takes a moment to end it.
      expect(await waitUntilGone(pid, 2000)).toBe(true);
    } finally {
      killIfAlive(pid);
    }
  });

  it('on stop, waits a bounded time for runs that cannot end (here: a stalled event log), and says which', async () => {
    class StallingPublisher extends RecordingPublisher {
      stalled = false;
      override publish(event: Parameters<RecordingPublisher['publish']>[0]) {
        return this.stalled ? new Promise<never>(() => {}) : super.publish(event);
      }
    }
    const stalling = new StallingPublisher();
    const jobs = new JobRegistry({ long: { command: 'sleep 30' } }, { publisher: stalling, log: (m) => messages.push(m), updateEveryMs: 0, killGraceMs: 200 });
    const run = await jobs.start('long');
    await stalling.waitFor((e) => e.type === 'update' && (e.data as UpdateData).status.state === 'running');
    stalling.stalled = true;
    await jobs.stop();
    expect(messages).toEqual([`job long run ${run.run} had not ended 2.2s after it was stopped; not waiting for it`]);
  });

  it('cancels every active run on stop, publishing their end', async () => {
    const jobs = registry({ long: { command: 'sleep 30' } });
    const run = await jobs.start('long');
    await jobs.stop();
    expect(publisher.on(run.topic).at(-1)).toMatchObject({ type: 'end', data: { state: 'cancelled', summary: 'cancelled: the server is shutting down' } });
    await expect(jobs.start('long')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
