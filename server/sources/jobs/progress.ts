// Progress from a line of output: `::progress 0.42` (explicit, wins), `42%`, or
// `3/10`. A fraction must have its numerator at or below its denominator, so dates
// like 2024/01 and paths are not mistaken for progress.

const EXPLICIT = /^::progress\s+(\d+(?:\.\d+)?)\s*$/;
const PERCENT = /(\d{1,3}(?:\.\d+)?)\s*%/g;
const FRACTION = /(?<![\d/.])(\d+)\s*\/\s*(\d+)(?![\d/.])/g;

/** True for the `::progress 0.42` control lines, which are not shown as output. */
export function isProgressDirective(line: string): boolean {
  return EXPLICIT.test(line.trim());
}

/** Progress 0..1 stated by `line`, or null when it states none. The last mention wins. */
export function parseProgress(line: string): number | null {
  const explicit = EXPLICIT.exec(line.trim());
  if (explicit) {
    const value = Number(explicit[1]);
    return value <= 1 ? value : null;
  }
  let found: { at: number; value: number } | null = null;
  for (const match of line.matchAll(PERCENT)) {
    const value = Number(match[1]);
    if (value <= 100) found = { at: match.index, value: value / 100 };
  }
  for (const match of line.matchAll(FRACTION)) {
    const done = Number(match[1]);
    const total = Number(match[2]);
    if (total > 0 && done <= total && (found === null || match.index > found.at)) {
      found = { at: match.index, value: done / total };
    }
  }
  return found === null ? null : Math.round(found.value * 10_000) / 10_000;
}
