// The audit line of a refused request (401, 403): when, what was asked, from where,
// with which token (its name, never its secret) and why. A flood of refusals is kept
// from flooding the log: past `maxPerSecond` lines in one second the rest are only
// counted, and the count is written with the next line that goes through.

import type { IncomingMessage } from 'node:http';
import type { Clock } from '../protocol/clock.ts';
import type { HeraldError } from '../protocol/errors.ts';

export class RefusalLog {
  readonly #write: (line: string) => void;
  readonly #clock: Clock;
  readonly #maxPerSecond: number;
  #second = -1;
  #written = 0;
  #dropped = 0;

  constructor(write: (line: string) => void, clock: Clock, maxPerSecond = 20) {
    this.#write = write;
    this.#clock = clock;
    this.#maxPerSecond = maxPerSecond;
  }

  /** Log that `req` was refused with `error`; `token` is the name of the token it presented, if any. */
  note(req: IncomingMessage, error: HeraldError, token: string | null): void {
    const second = Math.floor(this.#clock.now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#written = 0;
    }
    if (this.#written >= this.#maxPerSecond) {
      this.#dropped++;
      return;
    }
    this.#written++;
    const dropped = this.#dropped > 0 ? ` (and ${this.#dropped} more refusals not shown)` : '';
    this.#dropped = 0;
    const who = token === null ? 'no token' : `token "${token}"`;
    const path = (req.url ?? '/').split('?')[0];
    this.#write(`herald: refused ${req.method ?? 'GET'} ${path} from ${req.socket.remoteAddress ?? 'unknown'} (${who}): ${error.status} ${error.message}${dropped}`);
  }
}
