// What every transport shares: the Authorization header a subscription sends, and the
// words a failed fetch is reported with (undici says only "fetch failed"; its cause
// says why).

import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/free-port.ts';
import { authorizationOf, fetchErrorText } from './stream-transport.ts';

describe('authorizationOf', () => {
  it('sends Basic with a user name, Bearer with only a token, and nothing without either', () => {
    expect(authorizationOf({ username: 'zoë', token: 'pw' })).toBe('Basic em/Dqzpwdw=='); // base64 of the UTF-8 'zoë:pw'
    expect(authorizationOf({ username: '', token: 'tk' })).toBe('Bearer tk');
    expect(authorizationOf({ token: '' })).toBeUndefined();
  });
});

describe('fetchErrorText', () => {
  it("says why a real fetch failed, from undici's cause", async () => {
    const port = await freePort();
    const error = await fetch(`http://127.0.0.1:${port}/`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    expect(fetchErrorText(error)).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it("falls back to the cause's code, then the error's own message, then the thrown value", () => {
    expect(fetchErrorText(new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } }))).toBe('UND_ERR_SOCKET');
    expect(fetchErrorText(new TypeError('fetch failed', { cause: { message: '', code: 'UND_ERR_SOCKET' } }))).toBe('UND_ERR_SOCKET');
    expect(fetchErrorText(new Error('the stream was cut'))).toBe('the stream was cut');
    expect(fetchErrorText('no such host')).toBe('no such host');
    expect(fetchErrorText(undefined)).toBe('undefined');
  });
});
