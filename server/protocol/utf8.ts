// UTF-8 text at the edges: bytes that must be UTF-8 (a publish body, the config file)
// are decoded strictly, with the offset of the first bad byte, instead of turning into
// U+FFFD; text bound for a byte-limited place (a status, an end summary) is cut to a
// byte budget between user-perceived characters. No Node built-ins: the renderer may import it.

import { cutWithin } from './graphemes.ts';

// Fatal: bytes that are not UTF-8 are refused rather than replaced. ignoreBOM keeps a
// leading BOM as sent, like every other character (callers strip it where they mean to).
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type StrictUtf8 = { ok: true; text: string } | { ok: false; offset: number };

/** `bytes` as text, or the byte offset of the first sequence that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): StrictUtf8 {
  try {
    return { ok: true, text: STRICT_UTF8.decode(bytes) };
  } catch {
    return { ok: false, offset: firstInvalidUtf8(bytes) };
  }
}

/**
 * The offset of the first byte that does not start a well-formed UTF-8 sequence
 * (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF),
 * or -1 when every byte does.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let size: number;
    let low = 0x80;
    let high = 0xbf;
    if (b < 0x80) size = 1;
    else if (b >= 0xc2 && b <= 0xdf) size = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      size = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < size; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += size;
  }
  return -1;
}

/** UTF-8 bytes of one code point (a lone surrogate is written as U+FFFD: 3 bytes). */
function codePointBytes(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** The length of `text` in UTF-8 bytes. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) bytes += codePointBytes(char.codePointAt(0)!);
  return bytes;
}

/**
 * `text` when it fits in `maxBytes` of UTF-8, else its longest prefix that does, cut
 * between user-perceived characters (graphemes.ts: never inside a surrogate pair or a
 * combining sequence), with `mark` after it: at most `maxBytes` plus the mark's bytes
 * (3 for the default "…").
 */
export function truncateUtf8(text: string, maxBytes: number, mark = '…'): string {
  // Every UTF-16 unit is at most 3 bytes: short text needs no counting.
  if (text.length * 3 <= maxBytes) return text;
  const kept = cutWithin(text, maxBytes, utf8Length);
  return kept.length === text.length ? text : kept + mark;
}
