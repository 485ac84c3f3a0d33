// Cutting ntfy's newline-delimited stream into lines: line ends (\n and \r\n) in any
// chunk, a line longer than the limit skipped to its newline and reported once with
// its length, and the last line without a newline.

import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';

/** Feed the chunks (then end the stream, unless told not to) and say what came out. */
function split(maxLength: number, chunks: string[], end = true): string[] {
  const out: string[] = [];
  const splitter = new LineSplitter(maxLength, { line: (text) => out.push(`line ${JSON.stringify(text)}`), tooLong: (length) => out.push(`too long ${length}`) });
  for (const chunk of chunks) splitter.feed(chunk);
  if (end) splitter.end();
  return out;
}

describe('LineSplitter', () => {
  it('cuts at \\n and at \\r\\n, empty lines included, wherever the chunks are cut', () => {
    expect(split(100, ['a\nb\r\n\nc\n'])).toEqual(['line "a"', 'line "b"', 'line ""', 'line "c"']);
    expect(split(100, ['ab', 'c\r', '\nd', 'e\n'])).toEqual(['line "abc"', 'line "de"']);
  });

  it('keeps a \\r that does not end the line', () => {
    expect(split(100, ['a\rb\n'])).toEqual(['line "a\\rb"']);
  });

  it('passes on the last line without its newline when the stream ends, and nothing more', () => {
    expect(split(100, ['a\nlast'])).toEqual(['line "a"', 'line "last"']);
    expect(split(100, ['a\nlast'], false)).toEqual(['line "a"']);
    expect(split(100, ['a\n'])).toEqual(['line "a"']);
    expect(split(100, [])).toEqual([]);
  });

  it('takes a line of exactly the limit, and skips a longer one to its newline, saying its length once', () => {
    expect(split(5, ['abcde\n'])).toEqual(['line "abcde"']);
    expect(split(5, ['abcdef\nok\n'])).toEqual(['too long 6', 'line "ok"']);
    expect(split(5, ['abc', 'def', 'gh', 'ij\nok\n'])).toEqual(['too long 10', 'line "ok"']);
  });

  it('does not count the \\r of a skipped line\'s \\r\\n, wherever the chunks are cut', () => {
    expect(split(5, ['abcdefg\r\nok\n'])).toEqual(['too long 7', 'line "ok"']);
    expect(split(5, ['abcdefg\r', '\nok\n'])).toEqual(['too long 7', 'line "ok"']);
    expect(split(5, ['abcdef', 'g\r', '\n'])).toEqual(['too long 7']);
    expect(split(5, ['abc\r', 'def\n'])).toEqual(['too long 7']);
    expect(split(5, ['abcdefg\r', 'x\n'])).toEqual(['too long 9']);
  });

  it('reports a long last line without its newline when the stream ends', () => {
    expect(split(5, ['ok\nabcdefgh'])).toEqual(['line "ok"', 'too long 8']);
    expect(split(5, ['abcdefgh', ''])).toEqual(['too long 8']);
  });
});
