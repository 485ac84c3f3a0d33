// Injected time (STYLE.md practice 3). The same shape as the server's Clock
// (server/core/publisher.ts), declared here because main/ depends only on
// server/protocol. Tests drive it with a manual clock instead of sleeping.

import { safeTimers } from '../../server/protocol/long-timer.ts';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Wall time and timers for any delay (a heartbeat watchdog may wait past setTimeout's 24.8-day limit). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: safeTimers.setTimeout,
  clearTimeout: safeTimers.clearTimeout,
};

/** Where the policy asks about local time: minutes since midnight and "tomorrow morning". */
export interface Calendar {
  /** Minutes since local midnight (0..1439) at `ms`. */
  minutesOfDay(ms: number): number;
  /** The epoch milliseconds of `hour`:00 local time on the day after `ms`. */
  nextDayAt(ms: number, hour: number): number;
}

/** The machine's time zone, through Date's local methods (so DST is handled by the runtime). */
export const localCalendar: Calendar = {
  minutesOfDay(ms) {
    const date = new Date(ms);
    return date.getHours() * 60 + date.getMinutes();
  },
  nextDayAt(ms, hour) {
    const date = new Date(ms);
    date.setDate(date.getDate() + 1);
    date.setHours(hour, 0, 0, 0);
    return date.getTime();
  },
};

/** UTC, for tests and for users who want it. */
export const utcCalendar: Calendar = {
  minutesOfDay(ms) {
    const date = new Date(ms);
    return date.getUTCHours() * 60 + date.getUTCMinutes();
  },
  nextDayAt(ms, hour) {
    const date = new Date(ms);
    date.setUTCDate(date.getUTCDate() + 1);
    date.setUTCHours(hour, 0, 0, 0);
    return date.getTime();
  },
};
