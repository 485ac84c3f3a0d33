import { describe, expect, it } from 'vitest';
import { scrollAfterInsert, scrollToReveal, visibleRange } from './virtual-range.ts';

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
});
