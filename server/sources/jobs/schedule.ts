// Job schedules: `every 6h`, `every 30m`, `every 10s`, `every 1h30m`, `every 1d`,
// or `daily 02:30` (local time). A string that does not parse is a config error.

import { MAX_DURATION_SEC } from '../../config/durations.ts';
import { HeraldError, describeValue } from '../../protocol/errors.ts';

export type Schedule =
  | { kind: 'every'; everyMs: number; text: string }
  | { kind: 'daily'; hour: number; minute: number; text: string };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const EVERY = /^every\s+((?:\d+(?:\.\d+)?\s*[smhd]\s*)+)$/i;
const PART = /(\d+(?:\.\d+)?)\s*([smhd])/gi;
const DAILY = /^daily\s+(\d{1,2}):(\d{2})$/i;
const EXPECTED = 'expected "every <n>s|m|h|d" (e.g. "every 6h", "every 1h30m") or "daily HH:MM"';

/** Why `text` is not a schedule, or null when it is one. */
export function scheduleProblem(text: unknown): string | null {
  try {
    parseSchedule(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function parseSchedule(text: unknown): Schedule {
  if (typeof text !== 'string') throw new HeraldError('bad_config', `${EXPECTED}, got ${describeValue(text)}`);
  const trimmed = text.trim();
  const every = EVERY.exec(trimmed);
  if (every?.[1] !== undefined) {
    let everyMs = 0;
    for (const part of every[1].matchAll(PART)) {
      everyMs += Number(part[1]) * (UNIT_MS[(part[2] ?? 's').toLowerCase()] ?? 0);
    }
    if (everyMs < 1000) {
      throw new HeraldError('bad_config', `expected a schedule of at least 1 second, got ${describeValue(text)}`);
    }
    if (everyMs > MAX_DURATION_SEC * 1000) {
      const days = MAX_DURATION_SEC / 86_400;
      throw new HeraldError('bad_config', `expected a schedule of at most ${days} days ("every ${days}d"), got ${describeValue(text)}`);
    }
    return { kind: 'every', everyMs, text: trimmed };
  }
  const daily = DAILY.exec(trimmed);
  if (daily) {
    const hour = Number(daily[1]);
    const minute = Number(daily[2]);
    if (hour > 23 || minute > 59) {
      throw new HeraldError('bad_config', `expected "daily HH:MM" with HH 00-23 and MM 00-59, got ${describeValue(text)}`);
    }
    return { kind: 'daily', hour, minute, text: trimmed };
  }
  throw new HeraldError('bad_config', `${EXPECTED}, got ${describeValue(text)}`);
}

/**
 * When the schedule fires next after `after` (ms since epoch). `every` counts from
 * `after`, which the scheduler sets to the previous due time so runs do not drift.
 */
export function nextRunAt(schedule: Schedule, after: number): number {
  if (schedule.kind === 'every') return after + schedule.everyMs;
  const next = new Date(after);
  next.setHours(schedule.hour, schedule.minute, 0, 0);
  while (next.getTime() <= after) {
    // Step a calendar day and set the wall-clock time again, so a DST change
    // keeps the local time rather than shifting it by an hour.
    next.setDate(next.getDate() + 1);
    next.setHours(schedule.hour, schedule.minute, 0, 0);
  }
  return next.getTime();
}
