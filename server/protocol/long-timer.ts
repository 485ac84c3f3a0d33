// Timers that wait as long as they are asked to. setTimeout and setInterval keep
// the delay in a signed 32-bit integer: past 2^31-1 ms (about 24.8 days) Node fires
// after 1 ms with only a warning, and browsers fire at once, so `every 30d` would
// run in a tight loop. These wrappers split a long wait into a chain of shorter
// ones. The file sits beside the protocol because that is the one part of the
// server that main/core and the renderer may import.

/** The longest delay one setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The two calls a chained timer is built on (a Clock, globalThis, a manual clock). */
export interface TimerFunctions {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LongTimers extends TimerFunctions {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The handle of a chained wait: the segment now pending, and whether it was cleared. */
class ChainedTimer {
  segment: unknown = null;
  cleared = false;
  #referenced = true;

  /** Like Node's Timeout#unref: this wait (every segment of it) no longer keeps the process alive. */
  unref(): this {
    this.#referenced = false;
    setReferenced(this.segment, false);
    return this;
  }

  ref(): this {
    this.#referenced = true;
    setReferenced(this.segment, true);
    return this;
  }

  hasRef(): boolean {
    return this.#referenced;
  }
}

function setReferenced(segment: unknown, referenced: boolean): void {
  const timer = segment as { ref?: () => void; unref?: () => void } | null;
  if (referenced) timer?.ref?.();
  else timer?.unref?.();
}

/** NaN and negative delays mean "as soon as possible", as with setTimeout; Infinity means never. */
function delayOf(ms: number): number {
  return Number.isNaN(ms) || ms < 0 ? 0 : ms;
}

/**
 * setTimeout/setInterval over `base` for any delay: a wait longer than `segmentMs`
 * (default MAX_TIMER_MS) is a chain of waits of at most that long. Handles are
 * only good for this object's clear functions.
 */
export function longTimers(base: TimerFunctions, segmentMs = MAX_TIMER_MS): LongTimers {
  if (!(segmentMs >= 1 && segmentMs <= MAX_TIMER_MS)) {
    throw new RangeError(`expected a segment of 1 to ${MAX_TIMER_MS} ms, got ${segmentMs}`);
  }
  const wait = (timer: ChainedTimer, ms: number, fire: () => void): void => {
    const step = Math.min(ms, segmentMs);
    timer.segment = base.setTimeout(() => {
      if (timer.cleared) return;
      const left = ms - step;
      if (left > 0) wait(timer, left, fire);
      else fire();
    }, step);
    if (!timer.hasRef()) setReferenced(timer.segment, false);
  };
  const clear = (handle: unknown): void => {
    if (!(handle instanceof ChainedTimer)) return;
    handle.cleared = true;
    base.clearTimeout(handle.segment);
  };
  return {
    setTimeout(fn, ms) {
      const timer = new ChainedTimer();
      wait(timer, delayOf(ms), fn);
      return timer;
    },
    setInterval(fn, ms) {
      const timer = new ChainedTimer();
      const period = Math.max(1, delayOf(ms));
      // Arm the next period before calling fn, so fn may clear the interval.
      const tick = (): void => {
        wait(timer, period, tick);
        fn();
      };
      wait(timer, period, tick);
      return timer;
    },
    clearTimeout: clear,
    clearInterval: clear,
  };
}

/** This runtime's timers (Node or a browser), safe for any delay. */
export const safeTimers: LongTimers = longTimers({
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
});

/**
 * An AbortSignal that aborts with a TimeoutError after `ms`, like AbortSignal.timeout
 * but for any delay (AbortSignal.timeout shares the 32-bit limit). Call `cancel`
 * once the guarded work is done; the timer never keeps the process alive.
 */
export function timeoutSignal(ms: number): { signal: AbortSignal; cancel(): void } {
  const controller = new AbortController();
  const timer = safeTimers.setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  ) as ChainedTimer;
  timer.unref();
  return { signal: controller.signal, cancel: () => safeTimers.clearTimeout(timer) };
}
