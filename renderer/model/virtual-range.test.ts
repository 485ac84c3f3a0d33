import { describe, expect, it } from 'vitest';
import { keyTarget, pageRows, scrollAfterInsert, scrollToReveal, visibleRange } from './virtual-range.ts';

describe('the virtual list arithmetic', () => {
  it('renders only the rows in view plus the overscan, whatever the total', () => {
    expect(visibleRange(0, 500, 50, 100_000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(50_000, 500, 50, 100_000, 5)).toEqual({ start: 995, end: 1016 });
    expect(visibleRange(5_000_000, 500, 50, 100_000, 5)).toEqual({ start: 99_995, end: 100_000 });
    expect(visibleRange(0, 500, 50, 0)).toEqual({ start: 0, end: 0 });
  });

  it('keeps the reader’s rows in place when rows arrive above, unless they are at the top', () => {
    expect(scrollAfterInsert(0, 3, 40)).toBe(0);
    expect(scrollAfterInsert(400, 3, 40)).toBe(520);
  });

  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(2, 0, 400, 40)).toBe(0);
    expect(scrollToReveal(20, 0, 400, 40)).toBe(440);
    expect(scrollToReveal(1, 200, 400, 40)).toBe(40);
  });

  it('moves through the list by key, inside its ends, and ignores other keys', () => {
    expect(['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'].map((key) => keyTarget(key, 10, 4, 100))).toEqual([11, 9, 14, 6, 0, 99]);
    expect(['ArrowUp', 'PageUp', 'ArrowDown', 'PageDown'].map((key) => keyTarget(key, 0, 4, 3))).toEqual([0, 0, 1, 2]);
    expect(['ArrowDown', 'ArrowUp', 'End'].map((key) => keyTarget(key, -1, 4, 5))).toEqual([0, 0, 4]);
    expect(keyTarget('PageDown', 2, 4, 5)).toBe(4);
    expect(keyTarget('Enter', 2, 4, 5)).toBeNull();
    expect(keyTarget('a', 2, 4, 5)).toBeNull();
    expect(keyTarget('ArrowDown', -1, 4, 0)).toBeNull();
  });

  it('pages by a viewport of rows less one, at least one', () => {
    expect(pageRows(500, 50)).toBe(9);
    expect(pageRows(40, 50)).toBe(1);
    expect(pageRows(500, 0)).toBe(499);
  });
});
