// The calendars the policy reads local time from: the machine's zone and UTC. The
// local one is checked by what holds in any zone (the tests run wherever the machine
// is, and the mutation runner's workers cannot change their zone).

import { describe, expect, it } from 'vitest';
import { localCalendar, utcCalendar } from './calendar.ts';

const HOUR = 3_600_000;
const instants = [Date.UTC(2026, 0, 1, 20, 15), Date.UTC(2026, 2, 28, 23, 59, 59, 999), Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 11, 31, 12, 0)];

describe('localCalendar', () => {
  it('finds the hour on the next local day: later than now by at most two days, at that hour to the minute', () => {
    for (const now of instants) {
      const at = localCalendar.nextDayAt(now, 7);
      expect(at).toBeGreaterThan(now);
      expect(at - now).toBeLessThanOrEqual(48 * HOUR);
      expect(at % 60_000).toBe(0);
      expect(localCalendar.minutesOfDay(at)).toBe(7 * 60);
      // The day after the day it found is one day on (no change of clocks at 07:00 anywhere).
      expect(localCalendar.nextDayAt(at, 7) - at).toBeGreaterThanOrEqual(23 * HOUR);
      expect(localCalendar.nextDayAt(at, 7) - at).toBeLessThanOrEqual(25 * HOUR);
    }
  });

  it('counts minutes since local midnight, hours and minutes both', () => {
    const seven = localCalendar.nextDayAt(instants[0]!, 7);
    expect(localCalendar.minutesOfDay(seven + 15 * 60_000)).toBe(7 * 60 + 15);
    expect(localCalendar.minutesOfDay(seven + 2 * HOUR + 59 * 60_000 + 59_999)).toBe(9 * 60 + 59);
  });
});

describe('utcCalendar', () => {
  it('counts minutes since midnight UTC', () => {
    expect(utcCalendar.minutesOfDay(Date.UTC(2026, 0, 1, 20, 15, 59))).toBe(20 * 60 + 15);
  });

  it('finds the hour on the next UTC day, across the end of a month, on the hour exactly', () => {
    expect(utcCalendar.nextDayAt(Date.UTC(2026, 0, 31, 23, 59, 59, 999), 8)).toBe(Date.UTC(2026, 1, 1, 8, 0));
  });
});
