// Text as parts: Herald's words and publishers' text, joined, and clipped with an ellipsis.

import { describe, expect, it } from 'vitest';
import { clip, partsText, user } from './text-parts.ts';

describe('partsText', () => {
  it('joins Herald words and user text in order', () => {
    expect(partsText(['Disk on ', user('db-1'), ' is full'])).toBe('Disk on db-1 is full');
  });
});

describe('clip', () => {
  it('keeps text of exactly the limit whole, without an ellipsis', () => {
    expect(clip('abcde', 5)).toBe('abcde');
    expect(clip('abcd', 5)).toBe('abcd');
  });

  it('cuts longer text to the limit, the ellipsis included', () => {
    expect(clip('abcdef', 5)).toBe('abcd…');
    expect(clip('abcdef', 5)).toHaveLength(5);
  });
});
