// Injected time: wall time and timers behind one interface, so the server's sources,
// limits and log, and the desktop's subscriptions and notification policy, are driven
// by a manual clock in tests instead of sleeping (test/support/manual-clock.ts). Free
// of Node, so the server and the desktop core share it.

import { safeTimers } from './long-timer.ts';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/**
 * Wall time and the runtime's timers, for any delay: configured durations (a job's
 * `every 30d`, a heartbeat, a watchdog) may pass setTimeout's 24.8-day limit, which
 * Node turns into 1 ms. Handles have `unref()`.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: safeTimers.setTimeout,
  clearTimeout: safeTimers.clearTimeout,
  setInterval: safeTimers.setInterval,
  clearInterval: safeTimers.clearInterval,
};
