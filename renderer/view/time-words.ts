// Times as the window says them: a clock time (with the day when it is not today),
// the full date and time for a tooltip, and "3 minutes ago". Intl formatters are made
// once (toLocaleTimeString makes one per call, which showed as the top cost of a live
// list in a profile).

const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** `14:05:09`, or `Nov 29 14:05:09` on another day. */
export function clockTime(time: number, now = Date.now()): string {
  const clock = CLOCK.format(time);
  return startOfDay(time) === startOfDay(now) ? clock : `${DAY.format(time)} ${clock}`;
}

/** `Nov 30, 2026, 14:05:09`: what hovering a relative time shows. */
export function absoluteTime(time: number): string {
  return FULL.format(time);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** `now`, `42 seconds ago`, `3 minutes ago`, `yesterday`, `in 2 hours` (a clock ahead of ours). */
export function relativeTime(time: number, now: number): string {
  const diff = time - now;
  if (Math.abs(diff) < 10_000) return RELATIVE.format(0, 'second');
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') return RELATIVE.format(Math.round(diff / ms), unit);
  }
  return RELATIVE.format(0, 'second');
}
