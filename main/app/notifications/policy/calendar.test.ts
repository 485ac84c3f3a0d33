// The calendars the policy reads local time from: the machine's zone (through TZ,
// which Node reads again whenever process.env.TZ changes) and UTC.

import { afterEach, describe, expect, it } from 'vitest';
import { localCalendar, utcCalendar } from './calendar.ts';

const savedZone = process.env.TZ;
afterEach(() => {
  if (savedZone === undefined) delete process.env.TZ;
  else process.env.TZ = savedZone;
});

describe('localCalendar', () => {
  it("counts minutes since midnight in the machine's time zone", () => {
    process.env.TZ = 'Asia/Kolkata'; // UTC+5:30 all year
    // 20:15 UTC is 01:45 the next day in Kolkata.
    expect(localCalendar.minutesOfDay(Date.UTC(2026, 0, 1, 20, 15))).toBe(105);
    expect(localCalendar.minutesOfDay(Date.UTC(2026, 0, 1, 18, 29, 59))).toBe(1439);
  });

  it('finds the hour on the next local day, also across a change to summer time', () => {
    process.env.TZ = 'Europe/Berlin'; // summer time from 29 March 2026, 02:00
    // 28 March 23:30 local (22:30 UTC): 07:00 on the 29th is 05:00 UTC, in summer time.
    expect(localCalendar.nextDayAt(Date.UTC(2026, 2, 28, 22, 30), 7)).toBe(Date.UTC(2026, 2, 29, 5, 0));
    // 00:30 local on 1 January (23:30 UTC the day before) is already the 1st there.
    expect(localCalendar.nextDayAt(Date.UTC(2025, 11, 31, 23, 30, 15, 5), 9)).toBe(Date.UTC(2026, 0, 2, 8, 0));
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
