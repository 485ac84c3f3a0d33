// The SSE frame encoder. HTML Living Standard, "9.2.6 Interpreting an event stream":
// a line ends at CRLF, LF or CR; a field value runs to the end of its line. So an
// `id` or `event` holding CR or LF would start a new field (an injection), and an id
// holding NUL is ignored by conforming parsers ("If the field value does not contain
// U+0000 NULL, then set the last event ID buffer"). Those are refused; `data` is split
// on every line ending and sent as one `data:` line each, which the parser joins
// back with LF. Two more refusals came out of fuzzing (test/fuzz-frames.test.ts):
// an empty `event` is dispatched as "message" (9.2.6: "If the event type buffer has
// a value other than the empty string..."), so it cannot round-trip; and a lone
// UTF-16 surrogate anywhere cannot be written as UTF-8 (the stream is UTF-8, 9.2.5),
// so it would arrive as U+FFFD.

import { HeraldError } from './errors.ts';
import type { HeraldEvent } from './events.ts';

const FORBIDDEN_IN_FIELD = /[\r\n\0]/;
const LINE_BREAK = /\r\n|\r|\n/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(name: 'id' | 'event' | 'data', value: string): void {
  if (LONE_SURROGATE.test(value)) {
    throw new HeraldError('bad_request', `an SSE ${name} must be well-formed Unicode (UTF-8 cannot carry a lone surrogate), got ${JSON.stringify(value.slice(0, 80))}`);
  }
}

function checkField(name: 'id' | 'event', value: string): void {
  if (FORBIDDEN_IN_FIELD.test(value)) {
    throw new HeraldError('bad_request', `an SSE ${name} may not contain CR, LF or NUL, got ${JSON.stringify(value)}`);
  }
  if (name === 'event' && value === '') {
    throw new HeraldError('bad_request', 'an SSE event name may not be empty (a client would see it as "message"); leave event out instead');
  }
  checkText(name, value);
}

/** One SSE message: `id`, `event` and `data` lines and the blank line that dispatches it. */
export function encodeFrame(fields: { id?: string; event?: string; data: string }): string {
  let out = '';
  if (fields.id !== undefined) {
    checkField('id', fields.id);
    out += `id: ${fields.id}\n`;
  }
  if (fields.event !== undefined) {
    checkField('event', fields.event);
    out += `event: ${fields.event}\n`;
  }
  checkText('data', fields.data);
  for (const line of fields.data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** A Herald event as one frame. JSON.stringify never emits a raw line break, so data is one line. */
export function encodeEvent(event: HeraldEvent): string {
  return encodeFrame({ id: event.id, event: event.type, data: JSON.stringify(event.data) });
}

/** A comment line, ignored by clients; used as the heartbeat (`: hb`). */
export function encodeComment(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((line) => `: ${line}\n`)
    .join('') + '\n';
}

/** The reconnection delay a client should use, in milliseconds. */
export function encodeRetry(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) {
    throw new HeraldError('bad_request', `expected retry to be a non-negative integer of milliseconds, got ${ms}`);
  }
  return `retry: ${ms}\n\n`;
}
