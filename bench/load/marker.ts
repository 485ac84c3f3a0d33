// Every message the generator publishes carries one marker in its body:
// `~<step>:<seq>:<sentUs>~`, where `sentUs` is the wall clock in microseconds when the
// POST was written. A subscriber only has to find markers in the bytes it reads, so it
// needs no SSE or JSON parser, and any server that puts the body into its frame (in
// JSON, `~`, `:` and digits are never escaped) can be measured the same way.

const TILDE = 0x7e;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;

/** Step 0 is the warm-up: it proves a subscriber is registered, and is not counted. */
export const WARMUP_STEP = 0;

/** Wall-clock microseconds with sub-millisecond resolution, comparable across processes on one machine. */
export function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

export function encodeMarker(step: number, seq: number, sentUs: number): string {
  return `~${step}:${seq}:${sentUs}~`;
}

export type MarkerListener = (step: number, seq: number, sentUs: number) => void;

/**
 * Finds markers in a byte stream fed in arbitrary pieces (a marker may be split across
 * TCP reads). Bytes that look like a marker but are not (a `~` followed by anything
 * else) are skipped and counted in `malformed`.
 */
export class MarkerScanner {
  malformed = 0;
  private inMarker = false;
  private field = 0;
  private digits = 0;
  private readonly values = [0, 0, 0];
  private readonly onMarker: MarkerListener;

  constructor(onMarker: MarkerListener) {
    this.onMarker = onMarker;
  }

  /** Scan `bytes[start..end)` (the whole array by default). */
  feed(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let i = start;
    while (i < end) {
      if (!this.inMarker) {
        const at = bytes.indexOf(TILDE, i);
        if (at === -1 || at >= end) return;
        this.open();
        i = at + 1;
        continue;
      }
      const byte = bytes[i++] as number;
      if (byte >= ZERO && byte <= NINE) {
        this.values[this.field] = (this.values[this.field] as number) * 10 + (byte - ZERO);
        this.digits++;
      } else if (byte === COLON && this.field < 2 && this.digits > 0) {
        this.field++;
        this.digits = 0;
      } else if (byte === TILDE && this.field === 2 && this.digits > 0) {
        this.inMarker = false;
        this.onMarker(this.values[0] as number, this.values[1] as number, this.values[2] as number);
      } else {
        this.malformed++;
        // A `~` that breaks a marker may open the next one.
        if (byte === TILDE) this.open();
        else this.inMarker = false;
      }
    }
  }

  private open(): void {
    this.inMarker = true;
    this.field = 0;
    this.digits = 0;
    this.values[0] = 0;
    this.values[1] = 0;
    this.values[2] = 0;
  }
}
