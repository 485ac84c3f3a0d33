import { describe, expect, it } from 'vitest';
import { checkRedisUrl, isRedisAuthFailure, redactRedisUrl } from './redis-url.ts';

// Every secret below contains "S3" or "cr3t", which no host name here does.
const leaks = (shown: string): boolean => /S3|cr3t|%53/i.test(shown);

describe('redactRedisUrl', () => {
  it.each([
    ['redis://:S3cr3t@127.0.0.1:6379/0', 'redis://127.0.0.1:6379/0'],
    ['redis://alice:S3cr3t@cache.internal:6379', 'redis://cache.internal:6379'],
    ['rediss://alice:S3cr3t@cache.internal', 'rediss://cache.internal'],
    ['redis://:S3cr3t@[::1]:6379/2', 'redis://[::1]:6379/2'],
    // A password with "@" in it: the last "@" ends the credentials.
    ['redis://:S3@cr3t@host:6379', 'redis://host:6379'],
    ['redis://:S3%40cr3t@host', 'redis://host'],
    // Query strings and fragments may carry anything; node-redis reads neither.
    ['redis://host:6379/0?password=S3cr3t', 'redis://host:6379/0?…'],
    ['redis://host:6379#S3cr3t', 'redis://host:6379#…'],
    ['http://alice:S3cr3t@host', 'http://host/'],
  ])('%s parses: shown as %s', (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
  });

  it.each([
    // A "/" in the password ends the authority for URL: it does not parse (the old
    // fallback stopped at that "/" and printed the password).
    ['redis://:S3/cr3t@host:6379/0', 'redis://host:6379/0'],
    ['redis://alice:S3/cr3t/x@host', 'redis://host'],
    ['redis://:S3?cr3t@host', 'redis://host'],
    ['redis://:S3#cr3t@host', 'redis://host'],
    ['redis://alice:S3cr3t@host:notaport', 'redis://host:notaport'],
    ['redis://:S3cr3t@', 'redis://'],
    // No scheme: "alice:S3cr3t@host" reads as scheme "alice", the password in its path.
    ['alice:S3cr3t@host:6379', 'host:6379'],
    [':S3cr3t@host', 'host'],
    ['redis:/alice:S3cr3t@host', 'redis:/host'],
    // No "@": a password without its host cannot be told from a host; hide it.
    ['redis://:S3cr3t', 'redis://…'],
    ['redis://:S3/cr3t', 'redis://…'],
  ])('%s does not parse as a URL with a host: shown as %s', (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
  });

  it('never shows a password, whatever surrounds it', () => {
    const passwords = ['S3cr3t', 'S3/cr3t', 'S3@cr3t', 'S3:cr3t', 'S3?cr3t', 'S3#cr3t', 'S3%2Fcr3t', 'S3 cr3t', 'S3\ncr3t', 'S3\\cr3t', 'S3[cr3t]'];
    const shapes = [
      (p: string) => `redis://:${p}@host:6379/0`,
      (p: string) => `redis://alice:${p}@host`,
      (p: string) => `rediss://alice:${p}@10.0.0.1:6380/1`,
      (p: string) => `redis://alice:${p}@host:oops`,
      (p: string) => `alice:${p}@host`,
      (p: string) => ` redis://:${p}@host `,
      // Without a host, "redis://:S3@cr3t" is a URL whose host is "cr3t": only passwords without "@".
      (p: string) => (p.includes('@') ? `redis://:${p}@host` : `redis://:${p}`),
    ];
    for (const password of passwords) {
      for (const shape of shapes) {
        const url = shape(password);
        expect(leaks(redactRedisUrl(url)), `${JSON.stringify(url)} -> ${JSON.stringify(redactRedisUrl(url))}`).toBe(false);
      }
    }
  });

  it('leaves a URL without credentials as it is', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('localhost:6379')).toBe('localhost:6379');
  });
});

describe('checkRedisUrl', () => {
  it('refuses a URL that does not parse without echoing its password', () => {
    expect(() => checkRedisUrl('redis://:S3/cr3t@host:6379')).toThrow('expected a Redis URL such as redis://127.0.0.1:6379/0, got "redis://host:6379"');
    expect(() => checkRedisUrl('alice:S3cr3t@host')).toThrow(/got "host"$/);
  });

  it('accepts redis:// and rediss://', () => {
    expect(() => checkRedisUrl('redis://:S3cr3t@host:6379/0')).not.toThrow();
    expect(() => checkRedisUrl('rediss://host')).not.toThrow();
  });
});

describe('isRedisAuthFailure', () => {
  it('knows the replies Redis gives for refused credentials', () => {
    expect(isRedisAuthFailure(new Error('WRONGPASS invalid username-password pair or user is disabled.'))).toBe(true);
    expect(isRedisAuthFailure(new Error('NOAUTH Authentication required.'))).toBe(true);
    expect(isRedisAuthFailure(new Error('NOAUTH HELLO must be called with the client already authenticated'))).toBe(true);
    expect(isRedisAuthFailure(new Error('ERR invalid password'))).toBe(true);
    expect(isRedisAuthFailure(new Error('ERR AUTH <password> called without any password configured for the default user.'))).toBe(true);
    expect(isRedisAuthFailure(new Error('Socket closed unexpectedly'))).toBe(false);
    expect(isRedisAuthFailure(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(false);
  });
});
