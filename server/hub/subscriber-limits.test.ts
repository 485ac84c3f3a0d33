import { describe, expect, it } from 'vitest';
import { LOOPBACK, SubscriberLimits } from './subscriber-limits.ts';

const remote = (n: number) => ({ address: `192.0.2.${n}`, loopback: false });
const local = { address: '127.0.0.1', loopback: true };
const loopbackAt = (address: string) => ({ address, loopback: true });

describe('SubscriberLimits', () => {
  it('caps the streams of one client with 429 too_many, and frees a slot when one closes', () => {
    const limits = new SubscriberLimits({ maxSubscribers: 100, maxSubscribersPerClient: 2, maxLoopbackSubscribers: 1000 });
    const first = limits.admit(remote(1));
    limits.admit(remote(1));
    expect(() => limits.admit(remote(1))).toThrow(expect.objectContaining({ code: 'too_many', status: 429, retryAfterSec: 5 }));
    expect(() => limits.admit(remote(1))).toThrow(
      /^expected at most 2 open event streams from one client, got 2 from 192\.0\.2\.1; carry several topics on one connection \(\?topics=a,b\)$/,
    );
    expect(() => limits.admit(remote(2))).not.toThrow();
    first();
    first(); // releasing twice frees one slot, not two
    expect(limits.of('192.0.2.1')).toBe(1);
    expect(() => limits.admit(remote(1))).not.toThrow();
    expect(() => limits.admit(remote(1))).toThrow(/too_many|at most 2/);
  });

  it('caps the total with 503 unavailable, loopback clients included', () => {
    const limits = new SubscriberLimits({ maxSubscribers: 3, maxSubscribersPerClient: 1, maxLoopbackSubscribers: 1000 });
    const releases = [limits.admit(local), limits.admit(local), limits.admit(remote(1))];
    expect(() => limits.admit(remote(2))).toThrow(expect.objectContaining({ code: 'unavailable', status: 503 }));
    expect(() => limits.admit(local)).toThrow(/fewer than 3 open event streams on this server, got 3/);
    for (const release of releases) release();
    expect(limits.total).toBe(0);
    expect(limits.of(LOOPBACK)).toBe(0);
  });

  it('gives loopback a cap of its own, larger than a remote client\'s, over every loopback address together', () => {
    const limits = new SubscriberLimits({ maxSubscribers: 100, maxSubscribersPerClient: 1, maxLoopbackSubscribers: 4 });
    // Past the per-client cap of 1: loopback has its own.
    const releases = [limits.admit(local), limits.admit(local), limits.admit(loopbackAt('127.0.0.2'))];
    // Another address of 127/8, or ::1, is the same local machine: it counts with the rest.
    limits.admit(loopbackAt('::1'));
    expect(limits.of(LOOPBACK)).toBe(4);
    expect(() => limits.admit(loopbackAt('127.45.0.9'))).toThrow(expect.objectContaining({ code: 'too_many', status: 429, retryAfterSec: 5 }));
    expect(() => limits.admit(local)).toThrow(/at most 4 open event streams from loopback clients together \(127\.0\.0\.0\/8 and ::1\), got 4/);
    // Remote clients are not held to it.
    expect(() => limits.admit(remote(1))).not.toThrow();
    releases[0]!();
    expect(() => limits.admit(loopbackAt('127.0.0.3'))).not.toThrow();
  });
});
