import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { cookieValue, createTokenCheck, presentedToken } from './auth.ts';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('token check', () => {
  it('reads the bearer token, else the herald_token cookie', () => {
    expect(presentedToken(req({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(presentedToken(req({ authorization: 'bearer  abc ' }))).toBe('abc');
    expect(presentedToken(req({ authorization: 'Basic abc' }))).toBeNull();
    expect(presentedToken(req({ cookie: 'a=1; herald_token=t%20k; b=2' }))).toBe('t k');
    expect(cookieValue('herald_tokenx=1', 'herald_token')).toBeNull();
  });

  it('allows everything without a token and only the token with one', () => {
    expect(() => createTokenCheck(undefined)(req({}))).not.toThrow();
    const check = createTokenCheck('secret');
    expect(() => check(req({ authorization: 'Bearer secret' }))).not.toThrow();
    expect(() => check(req({ cookie: 'herald_token=secret' }))).not.toThrow();
    expect(() => check(req({}))).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(() => check(req({ authorization: 'Bearer secre' }))).toThrow(/does not match/);
    expect(() => check(req({ authorization: 'Bearer secretsecret' }))).toThrow(/does not match/);
  });
});
