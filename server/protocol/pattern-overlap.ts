// How two topic patterns (server/protocol/topics.ts) relate: whether one takes in
// every topic the other matches, and the pattern matching exactly the topics both
// match. A token's subscribe scope is a list of patterns, and a stream asks for
// another list; these two answers are what narrows the one to the other
// (server/tokens/scoped-access.ts), with no topic list to enumerate.
//
// A pattern is its fixed segments (names or `*`, one segment each) and whether it
// ends in `**` (one or more further segments). The overlap of two patterns is again
// one pattern (or none), segment by segment: a name meets `*` as the name, two
// names meet only when equal, and the longer pattern's tail stays.

import { patternProblem } from './topics.ts';

interface Shape {
  fixed: string[];
  /** Ends in `**`: matches topics longer than `fixed`, not just as long. */
  deep: boolean;
}

function shape(pattern: string): Shape {
  const segments = pattern.split('/');
  const deep = segments[segments.length - 1] === '**';
  return { fixed: deep ? segments.slice(0, -1) : segments, deep };
}

function text({ fixed, deep }: Shape): string {
  return deep ? [...fixed, '**'].join('/') : fixed.join('/');
}

/** The segment matching what both match, or null when none does. */
function meet(a: string, b: string): string | null {
  if (a === '*') return b;
  if (b === '*' || a === b) return a;
  return null;
}

/** Every topic `outer`'s segment matches includes those of `inner`'s. */
const segmentCovers = (outer: string, inner: string): boolean => outer === '*' || outer === inner;

function checked(pattern: string): string {
  const problem = patternProblem(pattern);
  if (problem) throw new Error(problem);
  return pattern;
}

/** Whether every topic `inner` matches is matched by `outer` (both valid patterns or topics). */
export function patternCovers(outer: string, inner: string): boolean {
  const o = shape(checked(outer));
  const i = shape(checked(inner));
  if (!o.deep) {
    return !i.deep && o.fixed.length === i.fixed.length && o.fixed.every((s, k) => segmentCovers(s, i.fixed[k]!));
  }
  // `o` takes topics longer than its fixed part: `i`'s shortest must be longer too.
  const shortest = i.deep ? i.fixed.length + 1 : i.fixed.length;
  return shortest > o.fixed.length && o.fixed.every((s, k) => segmentCovers(s, i.fixed[k]!));
}

/** The pattern matching exactly the topics both `a` and `b` match, or null when they share none. */
export function patternOverlap(a: string, b: string): string | null {
  let x = shape(checked(a));
  let y = shape(checked(b));
  // Order them: `x` is the one with the fewer fixed segments (a plain one first on a tie).
  if (x.fixed.length > y.fixed.length || (x.fixed.length === y.fixed.length && x.deep && !y.deep)) [x, y] = [y, x];
  if (!x.deep && !y.deep && x.fixed.length !== y.fixed.length) return null;
  // y only matches topics longer than its fixed part, which is at least as long as x's topics.
  if (!x.deep && y.deep) return null;
  // Here both are plain of one length, or x is deep with fewer fixed segments than a
  // plain y (a tie would have put the plain one first), or both are deep.
  const fixed: string[] = [];
  for (let k = 0; k < y.fixed.length; k++) {
    const segment = k < x.fixed.length ? meet(x.fixed[k]!, y.fixed[k]!) : y.fixed[k]!;
    if (segment === null) return null;
    fixed.push(segment);
  }
  return text({ fixed, deep: x.deep && y.deep });
}
