import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from './clock.ts';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { longTimers, MAX_TIMER_MS, safeTimers, timeoutSignal } from './long-timer.ts';

describe('chained timers (segments made tiny so the chain shows)', () => {
  it('fires a wait longer than one segment once, at its due time, with one segment pending at a time', () => {
    const clock = new ManualClock();
    const timers = longTimers(clock, 10);
    let fired = 0;
    timers.setTimeout(() => fired++, 35);
    for (let elapsed = 0; elapsed < 34; elapsed++) {
      clock.advance(1);
      expect(clock.pending).toBe(1);
    }
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
    clock.advance(1000);
    expect(fired).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('repeats an interval longer than one segment on its period, and stops when cleared from its callback', () => {
    const clock = new ManualClock();
    const timers = longTimers(clock, 10);
    const firedAt: number[] = [];
    const start = clock.now();
    const handle = timers.setInterval(() => {
      firedAt.push(clock.now() - start);
      if (firedAt.length === 3) timers.clearInterval(handle);
    }, 25);
    clock.advance(1000);
    expect(firedAt).toEqual([25, 50, 75]);
    expect(clock.pending).toBe(0);
  });

  it('never fires once cleared, wherever in the chain it is', () => {
    const clock = new ManualClock();
    const timers = longTimers(clock, 10);
    let fired = false;
    const handle = timers.setTimeout(() => (fired = true), 35);
    clock.advance(15);
    timers.clearTimeout(handle);
    clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('keeps unref on every later segment', async () => {
    const timers = longTimers(safeTimers, 5);
    const handle = timers.setTimeout(() => {}, 60_000) as { hasRef(): boolean; unref(): void; segment: { hasRef(): boolean } };
    handle.unref();
    expect(handle.segment.hasRef()).toBe(false);
    const first = handle.segment;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(handle.segment).not.toBe(first);
    expect(handle.segment.hasRef()).toBe(false);
    timers.clearTimeout(handle);
  });

  it('refuses a segment setTimeout cannot honour', () => {
    expect(() => longTimers(safeTimers, MAX_TIMER_MS + 1)).toThrow(/expected a segment of 1 to 2147483647 ms, got 2147483648/);
  });
});

describe('the real clocks over Node timers', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('do not fire a wait past 2^31-1 ms early (Node alone fires it after 1 ms)', async () => {
    const fired: string[] = [];
    const server = systemClock.setTimeout(() => fired.push('server timeout'), 3_000_000_000);
    const interval = systemClock.setInterval(() => fired.push('server interval'), 3_000_000_000);
    const { signal, cancel } = timeoutSignal(3_000_000_000);
    cleanups.push(() => {
      systemClock.clearTimeout(server);
      systemClock.clearInterval(interval);
      cancel();
    });
    // Node's clamped 1 ms timers would have fired many times over by now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fired).toEqual([]);
    expect(signal.aborted).toBe(false);
  });

  it('still fire short waits, and a timeout signal aborts with a TimeoutError', async () => {
    const fired = await new Promise<boolean>((resolve) => systemClock.setTimeout(() => resolve(true), 5));
    expect(fired).toBe(true);
    const { signal } = timeoutSignal(5);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    expect((signal.reason as Error).name).toBe('TimeoutError');
  });
});

/** Node's timers as a base, so a segment is a real Timeout whose hasRef() shows. */
const nodeTimers = {
  setTimeout: (fn: () => void, ms: number) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => globalThis.clearTimeout(handle as NodeJS.Timeout),
};
type NodeChained = { hasRef(): boolean; ref(): unknown; unref(): unknown; segment: NodeJS.Timeout };
const activeTimeouts = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

describe('keeping the process alive, like a Node Timeout', () => {
  it('keeps it alive from the start: a new wait and its first segment are referenced', () => {
    const timers = longTimers(nodeTimers, 5);
    const handle = timers.setTimeout(() => {}, 60_000) as NodeChained;
    try {
      expect(handle.hasRef()).toBe(true);
      expect(handle.segment.hasRef()).toBe(true);
    } finally {
      timers.clearTimeout(handle);
    }
  });

  it('is referenced again after ref(), on the pending segment and on every later one', async () => {
    const timers = longTimers(nodeTimers, 5);
    const handle = timers.setTimeout(() => {}, 60_000) as NodeChained;
    try {
      expect(handle.unref()).toBe(handle);
      expect(handle.hasRef()).toBe(false);
      expect(handle.ref()).toBe(handle);
      expect(handle.hasRef()).toBe(true);
      expect(handle.segment.hasRef()).toBe(true);
      const first = handle.segment;
      // Set after the 5 ms segment, so it fires after it: the chain has moved on.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(handle.segment).not.toBe(first);
      expect(handle.segment.hasRef()).toBe(true);
    } finally {
      timers.clearTimeout(handle);
    }
  });

  it('lets go of the runtime timer when cleared, so a cleared wait does not keep the process alive', () => {
    const before = activeTimeouts();
    const timeout = safeTimers.setTimeout(() => {}, 60_000);
    const interval = safeTimers.setInterval(() => {}, 60_000);
    expect(activeTimeouts()).toBe(before + 2);
    safeTimers.clearTimeout(timeout);
    safeTimers.clearInterval(interval);
    expect(activeTimeouts()).toBe(before);
  });

  it('a timeout signal does not keep the process alive, and cancel stops it from aborting', async () => {
    const before = activeTimeouts();
    const { signal, cancel } = timeoutSignal(5);
    expect(activeTimeouts()).toBe(before);
    cancel();
    // Set after the 5 ms wait, so it fires after it would have.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(signal.aborted).toBe(false);
  });
});

describe('over a base whose handles are not Node Timeouts', () => {
  it('takes ref() and unref() on number handles (a browser, a manual clock) as no-ops', () => {
    const clock = new ManualClock();
    const timers = longTimers(clock, 10);
    let fired = 0;
    const handle = timers.setTimeout(() => fired++, 25) as NodeChained;
    handle.unref();
    clock.advance(15);
    handle.ref();
    clock.advance(10);
    expect(fired).toBe(1);
  });

  it('still never fires once cleared when the base cannot cancel (its setTimeout returns nothing)', () => {
    const clock = new ManualClock();
    const timers = longTimers({ setTimeout: (fn, ms) => void clock.setTimeout(fn, ms), clearTimeout: () => {} }, 10);
    const fired: string[] = [];
    const timeout = timers.setTimeout(() => fired.push('timeout'), 25);
    const interval = timers.setInterval(() => fired.push('interval'), 25);
    (timeout as NodeChained).unref();
    (timeout as NodeChained).ref();
    clock.advance(15);
    timers.clearTimeout(timeout);
    timers.clearInterval(interval);
    clock.advance(100);
    expect(fired).toEqual([]);
  });

  it('takes clearing nothing, or a handle it did not make, as a no-op, like clearTimeout', () => {
    const clock = new ManualClock();
    const timers = longTimers(clock, 10);
    let fired = 0;
    const foreign = clock.setTimeout(() => fired++, 5);
    for (const handle of [undefined, null, foreign]) {
      expect(() => timers.clearTimeout(handle)).not.toThrow();
      expect(() => timers.clearInterval(handle)).not.toThrow();
    }
    clock.advance(5);
    expect(fired).toBe(1);
  });

  it('cancels the pending segment at once when cleared', () => {
    const clock = new ManualClock();
    const timers = longTimers(clock, 10);
    const handle = timers.setTimeout(() => {}, 35);
    clock.advance(15);
    expect(clock.pending).toBe(1);
    timers.clearTimeout(handle);
    expect(clock.pending).toBe(0);
  });
});

describe('delays and segments out of range', () => {
  it('fires a NaN or negative delay as soon as possible, as setTimeout does', () => {
    const clock = new ManualClock();
    const timers = longTimers(clock, 10);
    const fired: string[] = [];
    timers.setTimeout(() => fired.push('NaN'), Number.NaN);
    timers.setTimeout(() => fired.push('negative'), -5);
    const interval = timers.setInterval(() => fired.push('NaN interval'), Number.NaN);
    clock.advance(0);
    expect(fired).toEqual(['NaN', 'negative']);
    clock.advance(1);
    expect(fired).toEqual(['NaN', 'negative', 'NaN interval']);
    timers.clearInterval(interval);
  });

  it('accepts segments of 1 ms to 2^31-1 ms and refuses any other', () => {
    const clock = new ManualClock();
    expect(() => longTimers(clock, 1)).not.toThrow();
    expect(() => longTimers(clock, MAX_TIMER_MS)).not.toThrow();
    for (const bad of [0, 0.5, -1, Number.NaN]) {
      expect(() => longTimers(clock, bad)).toThrow(`expected a segment of 1 to ${MAX_TIMER_MS} ms, got ${bad}`);
    }
  });

  it('with 1 ms segments, fires on time', () => {
    const clock = new ManualClock();
    const timers = longTimers(clock, 1);
    let fired = 0;
    timers.setTimeout(() => fired++, 3);
    clock.advance(2);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
  });
});
