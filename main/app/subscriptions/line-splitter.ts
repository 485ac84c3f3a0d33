// A newline-delimited stream (ntfy's `/json`) cut into lines, bounded: a line longer
// than `maxLength` characters is skipped up to its newline and reported once, so a
// server that sends a huge or endless line costs memory of one bounded line, and the
// lines after it still arrive. `\r\n` counts as one line end.

export interface LineHandlers {
  line(text: string): void;
  /** A line was skipped: it had more than `maxLength` characters (`length` is how many were seen). */
  tooLong(length: number): void;
}

export class LineSplitter {
  readonly #maxLength: number;
  readonly #handlers: LineHandlers;
  #pending = '';
  /** Characters of the line being skipped, or -1 when not skipping. */
  #skipped = -1;
  /** Whether the skipped characters so far end in `\r` (not counted when `\n` follows). */
  #skippedCr = false;

  constructor(maxLength: number, handlers: LineHandlers) {
    this.#maxLength = maxLength;
    this.#handlers = handlers;
  }

  feed(text: string): void {
    let at = 0;
    while (at < text.length) {
      const newline = text.indexOf('\n', at);
      const end = newline < 0 ? text.length : newline;
      if (this.#skipped >= 0) {
        this.#skipped += end - at;
        if (end > at) this.#skippedCr = text[end - 1] === '\r';
      } else {
        this.#pending += text.slice(at, end);
        if (this.#pending.length > this.#maxLength) {
          this.#skipped = this.#pending.length;
          this.#skippedCr = this.#pending.endsWith('\r');
          this.#pending = '';
        }
      }
      if (newline < 0) return;
      this.#lineEnded();
      at = newline + 1;
    }
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): void {
    if (this.#pending !== '' || this.#skipped >= 0) this.#lineEnded();
  }

  #lineEnded(): void {
    if (this.#skipped >= 0) {
      const length = this.#skipped - (this.#skippedCr ? 1 : 0);
      this.#skipped = -1;
      this.#handlers.tooLong(length);
      return;
    }
    const line = this.#pending.endsWith('\r') ? this.#pending.slice(0, -1) : this.#pending;
    this.#pending = '';
    this.#handlers.line(line);
  }
}
