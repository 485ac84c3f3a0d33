// The heartbeat watchdog. The server writes a comment (`: hb`) every heartbeat
// interval (docs/protocol.md, "Events"), so a connection that has carried no byte
// for 2.5 intervals is dead even if TCP has not noticed (a sleeping laptop, a proxy
// that dropped the stream). EventSource does not surface comments, so the
// connection feeds every received chunk to `bytesArrived()` from its fetch wrapper.

import type { Clock } from '../clock.ts';

export const WATCHDOG_FACTOR = 2.5;

export class HeartbeatWatchdog {
  /** Silence that counts as dead; 0 when the server sends no heartbeat (no watchdog then). */
  timeoutMs: number;
  readonly #clock: Clock;
  readonly #onSilence: () => void;
  #timer: unknown = null;

  constructor(heartbeatMs: number, clock: Clock, onSilence: () => void) {
    this.timeoutMs = Math.round(heartbeatMs * WATCHDOG_FACTOR);
    this.#clock = clock;
    this.#onSilence = onSilence;
  }

  /** Use the interval the server announced instead of the configured one. */
  setHeartbeat(heartbeatMs: number): void {
    this.timeoutMs = Math.round(heartbeatMs * WATCHDOG_FACTOR);
  }

  /** Start (or restart) the countdown. */
  bytesArrived(): void {
    this.stop();
    if (this.timeoutMs === 0) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#onSilence();
    }, this.timeoutMs);
  }

  stop(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
