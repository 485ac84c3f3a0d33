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

/** How many rows PageDown and PageUp move: a viewport's worth less one, at least one. */
export function pageRows(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / Math.max(1, rowHeight)) - 1);
}

/**
 * The row a navigation key moves to from row `current` (-1 when none is active) in a
 * list of `count` rows, kept inside the list; null for any other key or an empty list.
 */
export function keyTarget(key: string, current: number, pageSize: number, count: number): number | null {
  if (count <= 0) return null;
  let next: number;
  switch (key) {
    case 'ArrowDown':
      next = current + 1;
      break;
    case 'ArrowUp':
      next = current - 1;
      break;
    case 'PageDown':
      next = current + pageSize;
      break;
    case 'PageUp':
      next = current - pageSize;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = count - 1;
      break;
    default:
      return null;
  }
  return Math.max(0, Math.min(count - 1, next));
}
