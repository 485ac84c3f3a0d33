// The desktop's time: the shared Clock (server/protocol/clock.ts, the same the server
// uses), and the Calendar the notification policy asks about local time. Tests drive
// both with a manual clock and the UTC calendar instead of sleeping.

export { systemClock, type Clock } from '../../server/protocol/clock.ts';

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
