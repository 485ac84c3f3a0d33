// Which tokens clients can send. A token travels as `Authorization: Bearer <token>`,
// and a header value is visible ASCII: RFC 6750 (section 2.1) gives a Bearer token
// the token68 characters, and curl, fetch and the `eventsource` package can send any
// visible ASCII character, but a space ends the token and a non-ASCII character is
// not sent as the server sees it. Such a token would start a server that no client
// can ever reach, so every place that accepts a token refuses it up front.
// Problems describe the token without showing it: it is a secret.

/** Visible ASCII, `!` to `~`: what a settings schema uses as its `pattern` (empty: no token). */
export const TOKEN_PATTERN = '^[!-~]*$';

export const TOKEN_EXPECTED = 'a token of visible ASCII characters without spaces (letters, digits and punctuation, as an "Authorization: Bearer" header carries; RFC 6750)';

export interface TokenFormatProblem {
  expected: string;
  /** What arrived, described without the token itself. */
  got: string;
}

function characterName(codePoint: number): string {
  if (codePoint === 0x20) return 'a space';
  if (codePoint === 0x09) return 'a tab';
  if (codePoint === 0x0a || codePoint === 0x0d) return 'a line break';
  if (codePoint < 0x20 || codePoint === 0x7f) return 'a control character';
  return 'a non-ASCII character';
}

/** Why clients could not send `token`, or null when they can. */
export function tokenFormatProblem(token: string): TokenFormatProblem | null {
  if (token === '') return { expected: TOKEN_EXPECTED, got: 'an empty token' };
  const characters = [...token];
  const at = characters.findIndex((c) => {
    const code = c.codePointAt(0)!;
    return code < 0x21 || code > 0x7e;
  });
  if (at < 0) return null;
  const what = characterName(characters[at]!.codePointAt(0)!);
  return { expected: TOKEN_EXPECTED, got: `${what} at character ${at + 1} of ${characters.length} (the token is not shown)` };
}

/** `expected ..., got ...` for a token clients cannot send, or null. */
export function tokenProblem(token: string): string | null {
  const problem = tokenFormatProblem(token);
  return problem === null ? null : `expected ${problem.expected}, got ${problem.got}`;
}
