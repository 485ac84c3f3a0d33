// Where text may be cut: between user-perceived characters (grapheme clusters, as
// Intl.Segmenter finds them), never inside a surrogate pair or a combining sequence (a
// letter and its accent, a flag, an emoji joined with ZWJ), so what stands before an
// ellipsis is what was written, and a cut never leaves a lone surrogate that UTF-8 (and
// so an SSE stream, frames.ts) cannot carry.
//
// Pure: no Node API, so the renderer can use it too.

// Made on first use: building a segmenter loads ICU's break rules, several MiB an idle
// server that never cuts text need not hold (bench/results/findings.md).
let graphemes: Intl.Segmenter | undefined;

const units = (piece: string): number => piece.length;

/**
 * The longest prefix of `text` whose `size` (UTF-16 units by default; pass utf8Length
 * for bytes) is at most `max`, ending between user-perceived characters. When even the
 * first character is larger (a letter with hundreds of combining marks), it is cut
 * between code points instead, so the result stays within `max`.
 */
export function cutWithin(text: string, max: number, size: (piece: string) => number = units): string {
  if (size(text) <= max) return text;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let used = 0;
  let end = 0;
  for (const { segment } of graphemes.segment(text)) {
    const cost = size(segment);
    if (used + cost <= max) {
      used += cost;
      end += segment.length;
      continue;
    }
    if (end === 0) {
      for (const char of segment) {
        used += size(char);
        if (used > max) break;
        end += char.length;
      }
    }
    return text.slice(0, end);
  }
  return text;
}
