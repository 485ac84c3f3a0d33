import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';
import type { Clock } from '../protocol/clock.ts';

function clockAt(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms), setTimeout: () => 0, clearTimeout: () => {}, setInterval: () => 0, clearInterval: () => {} };
}

const remote = { address: '192.0.2.7', loopback: false };

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate and says how long to wait', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter({ perSec: 2, burst: 3, includeLoopback: false }, clock);
    for (let i = 0; i < 3; i++) limiter.take(remote);
    expect(() => limiter.take(remote)).toThrow(expect.objectContaining({ code: 'rate_limited', retryAfterSec: 0.5 }));
    clock.advance(500);
    expect(() => limiter.take(remote)).not.toThrow();
    expect(() => limiter.take(remote)).toThrow(/at most 2 publishes a second/);
  });

  it('keeps one bucket per client and exempts loopback unless asked', () => {
    const limiter = new RateLimiter({ perSec: 1, burst: 1, includeLoopback: false }, clockAt(0));
    limiter.take(remote);
    expect(() => limiter.take({ address: '192.0.2.8', loopback: false })).not.toThrow();
    for (let i = 0; i < 5; i++) limiter.take({ address: '127.0.0.1', loopback: true });
    const strict = new RateLimiter({ perSec: 1, burst: 1, includeLoopback: true }, clockAt(0));
    strict.take({ address: '127.0.0.1', loopback: true });
    expect(() => strict.take({ address: '127.0.0.1', loopback: true })).toThrow(/retry in 1 s/);
  });

  it('turns off with a rate of 0', () => {
    const limiter = new RateLimiter({ perSec: 0, burst: 1, includeLoopback: true }, clockAt(0));
    for (let i = 0; i < 100; i++) limiter.take(remote);
  });
});
