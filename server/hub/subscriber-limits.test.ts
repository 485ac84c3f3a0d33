import { describe, expect, it } from 'vitest';
import { SubscriberLimits } from './subscriber-limits.ts';

const remote = (n: number) => ({ address: `192.0.2.${n}`, loopback: false });
const local = { address: '127.0.0.1', loopback: true };

describe('SubscriberLimits', () => {
  it('caps the streams of one client with 429 too_many, and frees a slot when one closes', () => {
    const limits = new SubscriberLimits({ maxSubscribers: 100, maxSubscribersPerClient: 2, limitLoopbackSubscribers: false });
    const first = limits.admit(remote(1));
    limits.admit(remote(1));
    expect(() => limits.admit(remote(1))).toThrow(expect.objectContaining({ code: 'too_many', status: 429, retryAfterSec: 5 }));
    expect(() => limits.admit(remote(1))).toThrow(/at most 2 open event streams from one client, got 2 from 192\.0\.2\.1/);
    expect(() => limits.admit(remote(2))).not.toThrow();
    first();
    first(); // releasing twice frees one slot, not two
    expect(limits.of('192.0.2.1')).toBe(1);
    expect(() => limits.admit(remote(1))).not.toThrow();
    expect(() => limits.admit(remote(1))).toThrow(/too_many|at most 2/);
  });

  it('caps the total with 503 unavailable, loopback clients included', () => {
    const limits = new SubscriberLimits({ maxSubscribers: 3, maxSubscribersPerClient: 1, limitLoopbackSubscribers: false });
    const releases = [limits.admit(local), limits.admit(local), limits.admit(remote(1))];
    expect(() => limits.admit(remote(2))).toThrow(expect.objectContaining({ code: 'unavailable', status: 503 }));
    expect(() => limits.admit(local)).toThrow(/fewer than 3 open event streams on this server, got 3/);
    for (const release of releases) release();
    expect(limits.total).toBe(0);
    expect(limits.of('127.0.0.1')).toBe(0);
  });

  it('exempts loopback from the per-client cap unless told otherwise', () => {
    const lenient = new SubscriberLimits({ maxSubscribers: 100, maxSubscribersPerClient: 1, limitLoopbackSubscribers: false });
    for (let i = 0; i < 10; i++) lenient.admit(local);
    const strict = new SubscriberLimits({ maxSubscribers: 100, maxSubscribersPerClient: 1, limitLoopbackSubscribers: true });
    strict.admit(local);
    expect(() => strict.admit(local)).toThrow(expect.objectContaining({ code: 'too_many' }));
  });
});
