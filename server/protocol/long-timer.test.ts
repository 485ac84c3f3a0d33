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
