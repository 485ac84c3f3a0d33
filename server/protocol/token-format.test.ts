// Which tokens a client can send as "Authorization: Bearer <token>", and how a refused
// one is described without showing it.

import { describe, expect, it } from 'vitest';
import { TOKEN_EXPECTED, TOKEN_PATTERN, tokenFormatProblem, tokenProblem } from './token-format.ts';

describe('tokenFormatProblem', () => {
  it('accepts visible ASCII, punctuation included, from ! to ~', () => {
    for (const token of ['s3cret', '!', '~', 'a-b_c.d~e+f/g=', 'Zz09!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~']) {
      expect(tokenFormatProblem(token), token).toBeNull();
      expect(new RegExp(TOKEN_PATTERN).test(token), token).toBe(true);
    }
  });

  it('names the first character a client cannot send and where it is, never the token', () => {
    const cases: Array<[string, string]> = [
      ['zq9 secret', 'a space at character 4 of 10'],
      ['a\tb', 'a tab at character 2 of 3'],
      ['ab\n', 'a line break at character 3 of 3'],
      ['\rab', 'a line break at character 1 of 3'],
      ['a\u0000', 'a control character at character 2 of 2'],
      ['a\u001f', 'a control character at character 2 of 2'],
      ['a\u007f', 'a control character at character 2 of 2'],
      ['café', 'a non-ASCII character at character 4 of 4'],
      ['😀x y', 'a non-ASCII character at character 1 of 4'],
    ];
    for (const [token, got] of cases) {
      expect(tokenFormatProblem(token), JSON.stringify(token)).toEqual({ expected: TOKEN_EXPECTED, got: `${got} (the token is not shown)` });
      expect(new RegExp(TOKEN_PATTERN).test(token), JSON.stringify(token)).toBe(false);
    }
  });

  it('refuses an empty token', () => {
    expect(tokenFormatProblem('')).toEqual({ expected: TOKEN_EXPECTED, got: 'an empty token' });
  });
});

describe('tokenProblem', () => {
  it('says what was expected and what arrived, or null', () => {
    expect(tokenProblem('ok-token')).toBeNull();
    expect(tokenProblem('zq9 secret')).toBe(`expected ${TOKEN_EXPECTED}, got a space at character 4 of 10 (the token is not shown)`);
  });

  it('says in words which characters a token may have', () => {
    expect(tokenProblem('zq9 secret')).toMatch(/^expected a token of visible ASCII characters without spaces \(letters, digits and punctuation, as an "Authorization: Bearer" header carries; RFC 6750\), got /);
  });
});
