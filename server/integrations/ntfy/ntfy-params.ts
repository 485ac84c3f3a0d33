// ntfy's request parameters: each has a canonical name and aliases, and may come as a
// header (any case; its value trimmed, RFC 2047 encoded words decoded) or, when no
// header carries it, as a query parameter (lower case), as ntfy's server/util.go
// `readParam` reads them. A JSON publish (`POST /`) sets them as headers would, so its
// fields win over the request's own (ntfy's `transformBodyJSON`).

import type { IncomingMessage } from 'node:http';
import { headerText } from '../../http/publish-request.ts';

/**
 * The `Priority` header of RFC 9218 (`u=3, i`), which proxies such as Cloudflare add
 * to requests: not an ntfy priority, so ignored (ntfy's `maybeIgnoreSpecialHeader`).
 */
const HTTP_PRIORITY = /^u=\d,\s*(i|\d)$|^u=\d$/;

export class NtfyParams {
  readonly #req: IncomingMessage;
  readonly #query: URLSearchParams;
  readonly #overlay: ReadonlyMap<string, string>;

  /** `overlay`: header values (lower-case names) that replace the request's. */
  constructor(req: IncomingMessage, url: URL, overlay: ReadonlyMap<string, string> = new Map()) {
    this.#req = req;
    this.#query = url.searchParams;
    this.#overlay = overlay;
  }

  /** The first non-empty value among the names' headers, then among their query parameters; '' when none. */
  get(...names: string[]): string {
    for (const name of names) {
      const value = this.#header(name);
      if (value !== '') return value;
    }
    for (const name of names) {
      const value = this.#query.get(name.toLowerCase())?.trim();
      if (value) return value;
    }
    return '';
  }

  /** 1, yes or true (any case) is true; any other value false; absent: `fallback`. */
  bool(fallback: boolean, ...names: string[]): boolean {
    const value = this.get(...names).toLowerCase();
    return value === '' ? fallback : value === '1' || value === 'yes' || value === 'true';
  }

  /** A comma list, trimmed, blanks dropped. */
  list(...names: string[]): string[] {
    return this.get(...names)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  #header(name: string): string {
    const lower = name.toLowerCase();
    const raw = this.#overlay.get(lower) ?? headerText(this.#req.headers, lower);
    if (raw === undefined) return '';
    const value = decodeEncodedWords(raw).trim();
    return lower === 'priority' && HTTP_PRIORITY.test(value) ? '' : value;
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
const ADJACENT_WORDS = /(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g;
const CHARSETS: Record<string, 'utf8' | 'latin1'> = { 'utf-8': 'utf8', utf8: 'utf8', 'us-ascii': 'utf8', 'iso-8859-1': 'latin1', latin1: 'latin1' };
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header value with its RFC 2047 encoded words (`=?UTF-8?B?...?=`,
 * `=?UTF-8?Q?...?=`) decoded, as ntfy's docs suggest for non-ASCII titles; white
 * space between two encoded words is dropped (RFC 2047, 6.2). A value with a word
 * that does not decode (unknown charset, bad base64, bytes that are not text) is
 * kept as it came, as Go's mime.WordDecoder leaves it to ntfy.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let failed = false;
  const decoded = value.replace(ADJACENT_WORDS, '$1').replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
    const bytes = decodeWord(CHARSETS[charset.toLowerCase().split('*')[0]!], encoding.toUpperCase(), text);
    if (bytes === null) failed = true;
    return bytes ?? word;
  });
  return failed ? value : decoded;
}

function decodeWord(charset: 'utf8' | 'latin1' | undefined, encoding: string, text: string): string | null {
  if (charset === undefined) return null;
  let bytes: Buffer;
  if (encoding === 'B') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
    bytes = Buffer.from(text, 'base64');
  } else {
    if (/=(?![0-9A-Fa-f]{2})/.test(text)) return null;
    bytes = Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  }
  if (charset === 'latin1') return bytes.toString('latin1');
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}
