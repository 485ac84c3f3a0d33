// The pieces of authentication that are pure functions of their input. The whole,
// against a real server and a real browser, is in test/server-auth-failures.test.ts
// and test/dashboard-session*.test.ts.

import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../protocol/clock.ts';
import { AuthFailureLimiter, failureGroup } from './auth-failures.ts';
import { bearerToken } from './auth.ts';
import { cookieValue, sessionCookieName } from './session-cookie.ts';
import { MemorySessionStore, sessionKey } from './sessions.ts';

function clockAt(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms), setTimeout: () => 0, clearTimeout: () => {}, setInterval: () => 0, clearInterval: () => {} };
}

const withHost = (host: string | undefined) => ({ headers: host === undefined ? {} : { host } }) as unknown as IncomingMessage;

describe('reading credentials', () => {
  it('takes the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer my secret')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
  });

  it('names the session cookie after the port the browser used', () => {
    expect(sessionCookieName(withHost('127.0.0.1:8080'))).toBe('herald_session_8080');
    expect(sessionCookieName(withHost('[::1]:9'))).toBe('herald_session_9');
    expect(sessionCookieName(withHost('herald.example.org'))).toBe('herald_session');
    expect(sessionCookieName(withHost(undefined))).toBe('herald_session');
    expect(cookieValue('a=1; herald_session_80=x; b=2', 'herald_session_80')).toBe('x');
    expect(cookieValue('herald_session_8080=x', 'herald_session_80')).toBeNull();
  });
});

describe('AuthFailureLimiter', () => {
  it('lets a few failures through, then makes the address wait longer after each', () => {
    const clock = clockAt(0);
    const limiter = new AuthFailureLimiter({ freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 4000 }, clock);
    for (let i = 0; i < 3; i++) {
      limiter.assertMayTry('192.0.2.7');
      limiter.recordFailure('192.0.2.7');
    }
    limiter.assertMayTry('192.0.2.7');
    limiter.recordFailure('192.0.2.7');
    expect(() => limiter.assertMayTry('192.0.2.7')).toThrow(expect.objectContaining({ code: 'rate_limited', retryAfterSec: 1 }));
    limiter.assertMayTry('192.0.2.8');
    clock.advance(1000);
    limiter.recordFailure('192.0.2.7');
    expect(() => limiter.assertMayTry('192.0.2.7')).toThrow(expect.objectContaining({ retryAfterSec: 2 }));
    clock.advance(2000);
    limiter.recordFailure('192.0.2.7');
    limiter.recordFailure('192.0.2.7');
    expect(() => limiter.assertMayTry('192.0.2.7')).toThrow(expect.objectContaining({ retryAfterSec: 4 }));
  });

  it('forgets a client after a quiet spell, and never holds more than maxClients', () => {
    const clock = clockAt(0);
    const limiter = new AuthFailureLimiter({ freeFailures: 0, forgetAfterMs: 60_000, maxClients: 100 }, clock);
    limiter.recordFailure('192.0.2.7');
    expect(() => limiter.assertMayTry('192.0.2.7')).toThrow(/retry in 1 s/);
    clock.advance(60_000);
    limiter.assertMayTry('192.0.2.7');
    for (let i = 0; i < 1000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(100);
    // The most recent are the ones kept.
    expect(() => limiter.assertMayTry('10.0.3.231')).toThrow(expect.objectContaining({ code: 'rate_limited' }));
  });

  it('counts every loopback address as one client, and an IPv6 client by its /64', () => {
    expect(failureGroup('127.0.0.1')).toBe('loopback');
    expect(failureGroup('127.4.5.6')).toBe('loopback');
    expect(failureGroup('::1')).toBe('loopback');
    expect(failureGroup('::ffff:127.0.0.2')).toBe('loopback');
    expect(failureGroup('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(failureGroup('2001:db8:0:12:aa::1')).toBe('2001:db8:0:12::/64');
    expect(failureGroup('2001:db8::12:1')).toBe('2001:db8:0:0::/64');
    expect(failureGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('MemorySessionStore', () => {
  it('keeps at most maxSessions, dropping the oldest, and ends sessions on expiry and sign-out', async () => {
    const clock = clockAt(0);
    const store = new MemorySessionStore(clock, { ttlMs: 10_000, maxSessions: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await store.create());
    expect(store.size).toBe(3);
    expect(await Promise.all(ids.map((id) => store.isLive(id)))).toEqual([false, false, true, true, true]);
    await store.end(ids[2]!);
    expect(await store.isLive(ids[2]!)).toBe(false);
    clock.advance(10_000);
    expect(await store.isLive(ids[4]!)).toBe(false);
    expect(await store.isLive('not-a-session-id')).toBe(false);
    expect(sessionKey('not-a-session-id')).toBeNull();
  });
});
