import { describe, expect, it } from 'vitest';
import { nextRunAt, parseSchedule, scheduleProblem } from './schedule.ts';

describe('job schedules', () => {
  it('reads "every" with seconds, minutes, hours, days and combinations', () => {
    expect(parseSchedule('every 10s')).toMatchObject({ kind: 'every', everyMs: 10_000 });
    expect(parseSchedule('every 30m')).toMatchObject({ kind: 'every', everyMs: 1_800_000 });
    expect(parseSchedule('every 6h')).toMatchObject({ kind: 'every', everyMs: 21_600_000 });
    expect(parseSchedule('every 1d')).toMatchObject({ kind: 'every', everyMs: 86_400_000 });
    expect(parseSchedule('Every 1h30m')).toMatchObject({ kind: 'every', everyMs: 5_400_000 });
  });

  it('reads "daily HH:MM" in local time', () => {
    expect(parseSchedule('daily 02:30')).toMatchObject({ kind: 'daily', hour: 2, minute: 30 });
  });

  it('says what it expected for anything else', () => {
    expect(scheduleProblem('every 6 hours')).toMatch(/expected "every <n>s\|m\|h\|d".*got "every 6 hours"/);
    expect(scheduleProblem('hourly')).toMatch(/got "hourly"/);
    expect(scheduleProblem('daily 25:00')).toMatch(/HH 00-23/);
    expect(scheduleProblem('every 0s')).toMatch(/at least 1 second/);
    expect(scheduleProblem(6)).toMatch(/got 6$/);
    expect(scheduleProblem('every 5m')).toBeNull();
    expect(scheduleProblem('every 365d')).toBeNull();
    expect(scheduleProblem('every 365d1s')).toBe('expected a schedule of at most 365 days ("every 365d"), got "every 365d1s"');
  });

  it('fires "every" a fixed period after the previous due time', () => {
    expect(nextRunAt(parseSchedule('every 10s'), 1_000)).toBe(11_000);
  });

  it('fires "daily" at the next local wall-clock time, today or tomorrow', () => {
    const schedule = parseSchedule('daily 02:30');
    const before = new Date(2025, 5, 10, 1, 0, 0).getTime();
    expect(new Date(nextRunAt(schedule, before))).toEqual(new Date(2025, 5, 10, 2, 30, 0));
    const after = new Date(2025, 5, 10, 2, 30, 0).getTime();
    expect(new Date(nextRunAt(schedule, after))).toEqual(new Date(2025, 5, 11, 2, 30, 0));
  });
});
