import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutWithin } from './graphemes.ts';
import { clip } from './text-parts.ts';
import { describeValue } from './errors.ts';

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const segments = (text: string): string[] => [...GRAPHEMES.segment(text)].map((s) => s.segment);

describe('cutting text between user-perceived characters', () => {
  it('never cuts a surrogate pair, a combining sequence, a flag or a ZWJ emoji', () => {
    expect(cutWithin('ab🎉', 3)).toBe('ab');
    expect(cutWithin('caf\u0065\u0301!', 4)).toBe('caf');
    expect(cutWithin('🇫🇷🇩🇪', 6)).toBe('🇫🇷');
    expect(cutWithin('x👨‍👩‍👧y', 7)).toBe('x');
    expect(cutWithin('x👨‍👩‍👧y', 9)).toBe('x👨‍👩‍👧');
  });

  it('stays within the budget when the first character alone is larger, cutting between code points', () => {
    const zalgo = `e${'\u0301'.repeat(500)}`;
    expect(segments(zalgo)).toHaveLength(1);
    expect(cutWithin(zalgo, 10)).toBe(zalgo.slice(0, 10));
    expect(cutWithin('🎉', 1)).toBe('');
  });

  it('clip and describeValue cut the same way', () => {
    expect(clip(`${'a'.repeat(8)}🎉🎉`, 10)).toBe(`${'a'.repeat(8)}…`);
    expect(describeValue(`${'a'.repeat(39)}🎉 and more`)).toBe(`"${'a'.repeat(39)}…"`);
  });

  it('holds for any text: a prefix within the budget, made of whole characters, the longest there is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), fc.integer({ min: 0, max: 150 }), (text, max) => {
        const kept = cutWithin(text, max);
        expect(text.startsWith(kept)).toBe(true);
        expect(kept.length).toBeLessThanOrEqual(max);
        const parts = segments(text);
        let whole = 0;
        let at = 0;
        while (whole < parts.length && at + parts[whole]!.length <= max) at += parts[whole++]!.length;
        if (whole > 0 || parts.length === 0) expect(kept.length).toBe(at);
      }),
      { numRuns: 400 },
    );
  });
});
