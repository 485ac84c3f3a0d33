import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../server/protocol/clock.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { HeartbeatWatchdog } from './heartbeat-watchdog.ts';

describe('the heartbeat watchdog on the real clock', () => {
  it('does not call a long heartbeat silent at once (2.5 x 1,000,000 s is past setTimeout\'s limit)', async () => {
    let silences = 0;
    const watchdog = new HeartbeatWatchdog(1_000_000_000, systemClock, () => silences++);
    watchdog.bytesArrived();
    // Node's clamped 1 ms timer would have declared the stream dead many times by now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    watchdog.stop();
    expect(silences).toBe(0);
  });

  it('still calls a short silence', async () => {
    const silent = new Promise<void>((resolve) => new HeartbeatWatchdog(4, systemClock, resolve).bytesArrived());
    await expect(silent).resolves.toBeUndefined();
  });
});

describe('the heartbeat watchdog on a manual clock', () => {
  it('keeps no timer when the server sends no heartbeat (an interval of 0)', () => {
    const clock = new ManualClock();
    let silences = 0;
    const watchdog = new HeartbeatWatchdog(15_000, clock, () => silences++);
    watchdog.setHeartbeat(0);
    watchdog.bytesArrived();
    expect(clock.pending).toBe(0);
    clock.advance(24 * 3_600_000);
    expect(silences).toBe(0);
  });

  it('counts from the last bytes, and not at all once stopped', () => {
    const clock = new ManualClock();
    let silences = 0;
    const watchdog = new HeartbeatWatchdog(1000, clock, () => silences++);
    watchdog.bytesArrived();
    clock.advance(2000);
    watchdog.bytesArrived();
    clock.advance(2499);
    expect(silences).toBe(0);
    clock.advance(1);
    expect(silences).toBe(1);
    watchdog.bytesArrived();
    watchdog.stop();
    clock.advance(10_000);
    expect(silences).toBe(1);
  });
});
