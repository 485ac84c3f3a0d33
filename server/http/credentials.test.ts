// Reading a credential from a request, form by form. That every route accepts them
// on a real server is in test/integrations-auth.test.ts.

import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { authorizationToken, bearerToken, presentedCredential } from './credentials.ts';

const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('presentedCredential', () => {
  it('reads each form: Bearer, Basic (the password), ?auth=, ?token=, X-Gotify-Key', () => {
    expect(presentedCredential(request('/a', { authorization: 'Bearer tk_1' }))).toEqual({ token: 'tk_1', via: 'Authorization' });
    expect(presentedCredential(request('/a', { authorization: basic('phil', 'tk_2') }))).toEqual({ token: 'tk_2', via: 'Authorization' });
    expect(presentedCredential(request('/a', { authorization: basic('', 'tk:with:colons') }))).toEqual({ token: 'tk:with:colons', via: 'Authorization' });
    expect(presentedCredential(request(`/a?auth=${base64url('Bearer tk_3')}`))).toEqual({ token: 'tk_3', via: '?auth=' });
    expect(presentedCredential(request(`/a?auth=${base64url(basic('u', 'tk_4'))}`))).toEqual({ token: 'tk_4', via: '?auth=' });
    expect(presentedCredential(request('/message?token=tk_5'))).toEqual({ token: 'tk_5', via: '?token=' });
    expect(presentedCredential(request('/message', { 'x-gotify-key': ' tk_6 ' }))).toEqual({ token: 'tk_6', via: 'X-Gotify-Key' });
    expect(presentedCredential(request('/a?since=all'))).toBeNull();
  });

  it("decodes ntfy's documented ?auth= example (Basic testuser:fakepassword)", () => {
    // ntfy docs, docs/publish.md "Query param": ?auth=QmFzaWMgZEdWemRIVnpaWEk2Wm1GclpYQmhjM04zYjNKaw
    expect(presentedCredential(request('/mysecrets?auth=QmFzaWMgZEdWemRIVnpaWEk2Wm1GclpYQmhjM04zYjNKaw'))).toEqual({ token: 'fakepassword', via: '?auth=' });
  });

  it('lets the URL win over the headers (?auth=, then ?token=, then X-Gotify-Key, then Authorization)', () => {
    const all = { authorization: 'Bearer header', 'x-gotify-key': 'gotify' };
    expect(presentedCredential(request(`/a?token=query&auth=${base64url('Bearer auth')}`, all))?.token).toBe('auth');
    expect(presentedCredential(request('/a?token=query', all))?.token).toBe('query');
    expect(presentedCredential(request('/a', all))?.token).toBe('gotify');
    expect(presentedCredential(request('/a?token=', { authorization: 'Bearer header' }))?.token).toBe('header');
  });

  it('says what is wrong with a malformed credential without showing it', () => {
    const problems = [
      presentedCredential(request('/a', { authorization: 'Token abc' })),
      presentedCredential(request('/a', { authorization: 'Bearer' })),
      presentedCredential(request('/a', { authorization: 'Bearer two words' })),
      presentedCredential(request('/a', { authorization: 'Basic !!!' })),
      presentedCredential(request('/a', { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` })),
      presentedCredential(request('/a', { authorization: basic('user', '') })),
      presentedCredential(request('/a?auth=not*base64')),
      presentedCredential(request(`/a?auth=${base64url('Digest secret-value')}`)),
    ];
    expect(problems.map((p) => p?.token)).toEqual(Array(problems.length).fill(null));
    expect(problems.map((p) => (p && 'problem' in p ? p.problem : ''))).toEqual([
      'an Authorization header with the scheme "Token", neither Bearer nor Basic',
      'a Bearer header with no token',
      'a Bearer header whose token contains a space',
      'a Basic header whose credentials are not one base64 word',
      'Basic credentials without a ":" between user and password',
      'Basic credentials with an empty password; put the token in the password (any user name)',
      'an ?auth= value that is not base64url',
      'an ?auth= value holding an Authorization header with the scheme "Digest", neither Bearer nor Basic',
    ]);
    expect(JSON.stringify(problems)).not.toContain('secret-value');
  });
});

describe('authorizationToken and bearerToken', () => {
  it('take Bearer in any case, Basic with either base64 alphabet', () => {
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(authorizationToken('BEARER abc')).toEqual({ token: 'abc' });
    // "u:a?b>" encodes to "dTphP2I+" in base64 and "dTphP2I-" in base64url.
    expect(authorizationToken('Basic dTphP2I+')).toEqual({ token: 'a?b>' });
    expect(authorizationToken('basic dTphP2I-')).toEqual({ token: 'a?b>' });
  });
});
