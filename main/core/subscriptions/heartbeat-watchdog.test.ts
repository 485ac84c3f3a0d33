import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
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
