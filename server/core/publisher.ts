// What sources, the HTTP publish route and the job runner call to emit events.
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';

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

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};
