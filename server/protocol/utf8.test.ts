import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8, truncateUtf8, utf8Length } from './utf8.ts';

const encoder = new TextEncoder();
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const bytesOf = (text: string): number => encoder.encode(text).length;
/** True when `text` has no lone surrogate (a pair split in two). */
const wellFormed = (text: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('truncateUtf8', () => {
  it('keeps text that fits, counting bytes rather than characters', () => {
    expect(truncateUtf8('abc', 3)).toBe('abc');
    expect(truncateUtf8('日本語', 9)).toBe('日本語');
    expect(truncateUtf8('日本語', 8)).toBe('日本…');
    expect(utf8Length('日本語🎉')).toBe(13);
  });

  it('cuts CJK text to the byte budget on a character boundary', () => {
    const line = '漢字'.repeat(200); // 400 characters, 1,200 bytes
    const cut = truncateUtf8(line, 301);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.slice(0, -1)).toBe(`${'漢字'.repeat(50)}`); // 100 × 3 = 300 bytes, then the mark
    expect(bytesOf(cut)).toBe(303);
  });

  it('never splits an emoji surrogate pair, whatever the budget', () => {
    const line = `a${'🎉'.repeat(50)}`;
    for (let max = 1; max <= 60; max++) {
      const cut = truncateUtf8(line, max);
      expect(wellFormed(cut), `max ${max}: ${JSON.stringify(cut)}`).toBe(true);
      expect(bytesOf(cut.slice(0, -1))).toBeLessThanOrEqual(max);
    }
    expect(truncateUtf8(line, 8)).toBe('a🎉…'); // 1 + 4 bytes; a second emoji would make 9
  });

  it('cuts before a combining sequence, not inside it', () => {
    expect(truncateUtf8(`${'a'.repeat(9)}e\u0301tc`, 10)).toBe(`${'a'.repeat(9)}…`); // not "aaaaaaaaae…", an accent lost
    expect(truncateUtf8('🇫🇷🇩🇪', 12)).toBe('🇫🇷…'); // a flag is two code points of 4 bytes
  });

  it('counts each code point as UTF-8 does, at every length boundary, a lone surrogate as U+FFFD', () => {
    for (const text of ['\u007f', '\u0080', 'é', '\u07ff', '\u0800', '\uffff', '\u{10000}', '\u{10ffff}', '\ud800', 'a\udc00b']) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(bytesOf(text));
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === bytesOf(text)));
  });

  it('holds for any text and budget: a prefix that fits, then the mark, cut between user-perceived characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.integer({ min: 0, max: 400 }), (text, max) => {
        const cut = truncateUtf8(text, max);
        if (utf8Length(text) <= max) {
          expect(cut).toBe(text);
          return;
        }
        const kept = cut.slice(0, -1);
        expect(cut.endsWith('…')).toBe(true);
        expect(utf8Length(kept)).toBeLessThanOrEqual(max);
        expect(text.startsWith(kept)).toBe(true);
        // The cut is never between the halves of a pair.
        const next = text.codePointAt(kept.length)!;
        expect(next < 0xdc00 || next > 0xdfff || !/[\uD800-\uDBFF]$/.test(kept)).toBe(true);
        // It ends between user-perceived characters, and the next one would not fit;
        // a first character larger than the budget alone is cut between code points,
        // before the first that would not fit.
        const ends = [...GRAPHEMES.segment(text)].map((s) => s.index + s.segment.length);
        const following = ends.find((end) => end > kept.length)!;
        if (utf8Length(text.slice(0, ends[0])) > max) {
          expect(kept.length).toBeLessThan(ends[0]!);
          expect(utf8Length(kept + [...text.slice(kept.length)][0]!)).toBeGreaterThan(max);
        } else {
          expect(ends).toContain(kept.length);
        }
        expect(utf8Length(text.slice(0, following))).toBeGreaterThan(max);
      }),
    );
  });

  it('cuts a first character larger than the budget between its code points', () => {
    expect(truncateUtf8(' \u{11a51}', 2)).toBe(' …'); // a space and a vowel sign: one character of 5 bytes
    expect(truncateUtf8('e\u0301', 1)).toBe('e…');
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and keeps a BOM', () => {
    expect(decodeUtf8(encoder.encode('\uFEFF{"a":"日本🎉"}'))).toEqual({ ok: true, text: '\uFEFF{"a":"日本🎉"}' });
  });

  it('gives the offset of the first byte that is not UTF-8', () => {
    const bytes = Uint8Array.from([...encoder.encode('{"a":"é'), 0xff, ...encoder.encode('"}')]);
    expect(decodeUtf8(bytes)).toEqual({ ok: false, offset: 8 });
    expect(firstInvalidUtf8(Uint8Array.from([0xc0, 0x80]))).toBe(0); // overlong NUL
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // a surrogate
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0x62, 0xe6, 0x97]))).toBe(2); // cut short
    expect(firstInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // past U+10FFFF
  });

  it('takes the first and last lead bytes of 3- and 4-byte sequences with the second byte range each allows', () => {
    const valid = [
      [0xe0, 0xa0, 0x80], // U+0800, the first 3-byte code point
      [0xe1, 0x80, 0x80], // U+1000: after E0 any continuation is allowed
      [0xef, 0xbf, 0xbf], // U+FFFF
      [0xf0, 0x90, 0x80, 0x80], // U+10000, the first 4-byte code point
      [0xf1, 0x80, 0x80, 0x80], // U+40000
      [0xf3, 0xbf, 0xbf, 0xbf], // U+FFFFF: only F4 stops at 8F
      [0xf4, 0x8f, 0xbf, 0xbf], // U+10FFFF, the last code point
    ];
    for (const bytes of valid) expect(firstInvalidUtf8(Uint8Array.from([0x61, ...bytes])), bytes.join(' ')).toBe(-1);
    const invalid = [
      [0xe0, 0x9f, 0xbf], // overlong U+07FF
      [0xe0, 0xa0, 0x7f], // a third byte that is not a continuation
      [0xe0, 0xa0, 0xc0],
      [0xf0, 0x8f, 0xbf, 0xbf], // overlong U+FFFF
      [0xf0, 0x90, 0x80, 0x7f],
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf5, 0x80, 0x80, 0x80],
    ];
    for (const bytes of invalid) expect(firstInvalidUtf8(Uint8Array.from([0x61, ...bytes])), bytes.join(' ')).toBe(1);
  });

  it('agrees with the platform decoder on any bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          fatal.decode(bytes);
        } catch {
          valid = false;
        }
        const offset = firstInvalidUtf8(bytes);
        expect(offset === -1).toBe(valid);
        if (!valid) {
          // Everything before the offset is UTF-8.
          expect(() => fatal.decode(bytes.subarray(0, offset))).not.toThrow();
        }
      }),
      { numRuns: 3000 },
    );
  });
});
