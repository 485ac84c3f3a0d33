// The global pause: for a while, until tomorrow morning, or until resumed. Pure
// transitions over PauseSettings, so the tray menu and the settings share one state.

import type { Calendar } from './calendar.ts';
import type { PauseSettings } from '../../settings/settings-schema.ts';

/** "Until tomorrow" means until this hour, local time, of the next day. */
export const TOMORROW_RESUME_HOUR = 8;

export const notPaused: PauseSettings = { until: null, indefinitely: false };

export function isPaused(pause: PauseSettings, now: number): boolean {
  return pause.indefinitely || (pause.until !== null && now < pause.until);
}

export function pauseFor(now: number, ms: number): PauseSettings {
  return { until: now + ms, indefinitely: false };
}

export function pauseUntilTomorrow(now: number, calendar: Calendar): PauseSettings {
  return { until: calendar.nextDayAt(now, TOMORROW_RESUME_HOUR), indefinitely: false };
}

export function pauseUntilResumed(): PauseSettings {
  return { until: null, indefinitely: true };
}

/** A readable description for the tray menu and tooltip, or null when not paused. */
export function describePause(pause: PauseSettings, now: number, formatTime: (ms: number) => string): string | null {
  if (pause.indefinitely) return 'Notifications paused until resumed';
  if (pause.until !== null && now < pause.until) return `Notifications paused until ${formatTime(pause.until)}`;
  return null;
}
