// What sources, the HTTP publish route and the job runner call to emit events.
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import { safeTimers } from '../protocol/long-timer.ts';

export interface Publisher {
  /**
   * Validate and append one event. An `update` whose status equals the topic's
   * previous status is not appended (the seed's "send only on change"): resolves null.
   */
  publish(event: NewEvent): Promise<HeraldEvent | null>;
}

/** Injected time, so sources and policies can be driven without sleeping. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/**
 * Wall time and the runtime's timers, for any delay: configured durations (a job's
 * `every 30d`, a heartbeat) may pass setTimeout's 24.8-day limit, which Node turns
 * into 1 ms. Handles have `unref()`.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: safeTimers.setTimeout,
  clearTimeout: safeTimers.clearTimeout,
  setInterval: safeTimers.setInterval,
  clearInterval: safeTimers.clearInterval,
};
