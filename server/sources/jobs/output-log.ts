// A run's output, kept bounded: lines split as a terminal would show them, each line
// capped, and the oldest lines dropped past a line or byte budget, so a chatty job
// cannot grow the server's memory without end.

import { truncateUtf8 } from '../../protocol/utf8.ts';

/** Splits a byte stream's text into lines at LF, CRLF or CR (progress bars redraw with CR). */
export class LineSplitter {
  private partial = '';
  /** In UTF-8 bytes. */
  private readonly maxLineLength: number;

  constructor(maxLineLength = 4096) {
    this.maxLineLength = maxLineLength;
  }

  push(text: string): string[] {
    let joined = this.partial + text;
    // A CR at the very end may be the first half of CRLF: keep it for the next chunk.
    const heldCR = joined.endsWith('\r');
    if (heldCR) joined = joined.slice(0, -1);
    const parts = joined.split(/\r\n|\n|\r/);
    this.partial = (parts.pop() ?? '') + (heldCR ? '\r' : '');
    if (this.partial.length > this.maxLineLength) {
      parts.push(this.partial);
      this.partial = '';
    }
    return parts.map((line) => this.cap(line));
  }

  /** The unterminated last line, when the stream ends. */
  flush(): string[] {
    const rest = this.partial.replace(/\r$/, '');
    this.partial = '';
    return rest === '' ? [] : [this.cap(rest)];
  }

  private cap(line: string): string {
    return truncateUtf8(line, this.maxLineLength);
  }
}

export interface OutputLogLimits {
  maxLines: number;
  maxChars: number;
}

export class OutputLog {
  private readonly limits: OutputLogLimits;
  private readonly kept: string[] = [];
  private chars = 0;
  private droppedLines = 0;

  constructor(limits: OutputLogLimits = { maxLines: 2000, maxChars: 256 * 1024 }) {
    this.limits = limits;
  }

  append(line: string): void {
    this.kept.push(line);
    this.chars += line.length + 1;
    while (this.kept.length > 1 && (this.kept.length > this.limits.maxLines || this.chars > this.limits.maxChars)) {
      const oldest = this.kept.shift() ?? '';
      this.chars -= oldest.length + 1;
      this.droppedLines++;
    }
  }

  get dropped(): number {
    return this.droppedLines;
  }

  lastLines(count: number): string[] {
    return this.kept.slice(-count);
  }

  /** The kept output as text, saying how much was dropped before it. */
  text(): string {
    const note = this.droppedLines > 0 ? `[${this.droppedLines} earlier lines dropped]\n` : '';
    return note + this.kept.map((line) => `${line}\n`).join('');
  }
}
