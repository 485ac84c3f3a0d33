// How events are written on one kind of stream. Herald's own `GET /events` is SSE
// (server/protocol/frames.ts); ntfy's JSON, SSE and raw streams are others
// (server/integrations/ntfy/). The hub encodes each event once per format in use and
// shares those bytes between every subscriber of that format.

import { encodeComment, encodeEvent } from '../protocol/frames.ts';
import type { HeraldEvent } from '../protocol/events.ts';

/** An event and its bytes on one kind of stream. */
export interface HeldEvent {
  event: HeraldEvent;
  frame: Buffer;
}

export interface StreamFormat {
  /**
   * The bytes of `event` on this kind of stream, or null when it does not carry that
   * event. Called once per event and shared by every subscriber of the format, so it
   * must depend on the event alone.
   */
  encode(event: HeraldEvent): Buffer | null;
}

/** Herald's own SSE frames: `id`, `event` (the type) and the data as JSON. */
export const HERALD_SSE: StreamFormat = { encode: (event) => Buffer.from(encodeEvent(event)) };

/** Herald's heartbeat, a `: hb` comment. */
export const HERALD_HEARTBEAT = Buffer.from(encodeComment('hb'));

/** One event's frames, encoded the first time a format asks for them. */
export class EventFrames {
  readonly event: HeraldEvent;
  #format: StreamFormat | null = null;
  #held: HeldEvent | null = null;
  #others: Map<StreamFormat, HeldEvent | null> | null = null;

  constructor(event: HeraldEvent) {
    this.event = event;
  }

  /** The event in `format`, or null when that format does not carry it. */
  for(format: StreamFormat): HeldEvent | null {
    // Nearly always one format is in use: keep it without a Map.
    if (this.#format === format) return this.#held;
    if (this.#format === null) {
      this.#format = format;
      return (this.#held = this.#encode(format));
    }
    this.#others ??= new Map();
    let held = this.#others.get(format);
    if (held === undefined) this.#others.set(format, (held = this.#encode(format)));
    return held;
  }

  #encode(format: StreamFormat): HeldEvent | null {
    const frame = format.encode(this.event);
    return frame === null ? null : { event: this.event, frame };
  }
}
