// The arithmetic of the virtualized list: which rows exist in the DOM for a scroll
// position, and where to scroll so that rows inserted above the viewport do not move
// what the reader is looking at. Rows have one fixed height (measured from a real row,
// so zoom and font size are respected).

export interface RowRange {
  /** First row rendered (inclusive). */
  start: number;
  /** One past the last row rendered. */
  end: number;
}

export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): RowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first - overscan));
  const end = Math.min(count, first + shown + overscan);
  return { start, end: Math.max(start, end) };
}

/**
 * After `inserted` rows were added at the top: the scroll position that keeps the same
 * rows in view, unless the reader was at the top (then new rows simply appear there).
 */
export function scrollAfterInsert(scrollTop: number, inserted: number, rowHeight: number): number {
  if (scrollTop <= 0 || inserted <= 0) return scrollTop;
  return scrollTop + inserted * rowHeight;
}

/** The scroll position that brings row `index` fully into view, or the current one when it already is. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
