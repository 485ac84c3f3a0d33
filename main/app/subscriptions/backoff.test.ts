// Reconnection delays: exponential with equal jitter, capped, never below the floor.

import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('by default waits half to all of 1 s, doubling per attempt up to 60 s', () => {
    const low = (attempt: number) => backoffDelay(attempt, 0, DEFAULT_BACKOFF, () => 0);
    const high = (attempt: number) => backoffDelay(attempt, 0, DEFAULT_BACKOFF, () => 0.999_999);
    expect([0, 1, 2, 5, 6, 7, 40].map(low)).toEqual([500, 1000, 2000, 16_000, 30_000, 30_000, 30_000]);
    expect([0, 1, 6, 40].map(high)).toEqual([1000, 2000, 60_000, 60_000]);
  });

  it('never waits less than the floor', () => {
    expect(backoffDelay(0, 7000, DEFAULT_BACKOFF, () => 0)).toBe(7000);
    expect(backoffDelay(10, 7000, DEFAULT_BACKOFF, () => 0)).toBe(30_000);
  });
});
