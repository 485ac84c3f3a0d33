// Quiet hours: a daily local-time range, which may cross midnight (22:00 to 07:00).

import type { QuietHours } from '../../settings/settings-schema.ts';

/** Minutes since midnight of an `HH:MM` string (validated by the settings schema). */
export function parseTimeOfDay(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new TypeError(`expected a time of day as HH:MM, got ${JSON.stringify(text)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** True when `minutesOfDay` falls in [start, end). An empty range (start = end) is never quiet. */
export function inQuietHours(quiet: QuietHours, minutesOfDay: number): boolean {
  if (!quiet.enabled) return false;
  const start = parseTimeOfDay(quiet.start);
  const end = parseTimeOfDay(quiet.end);
  if (start === end) return false;
  return start < end ? minutesOfDay >= start && minutesOfDay < end : minutesOfDay >= start || minutesOfDay < end;
}
