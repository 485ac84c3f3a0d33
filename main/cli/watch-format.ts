// What `herald watch` prints: one readable line per event and per connection change,
// or with --json one JSON object per line (`{"kind":"event",...}` and
// `{"kind":"state",...}`) for scripts and `jq`. Publisher text never reaches the
// terminal raw: controls and unpaired bidi controls are shown as escapes, field by
// field (main/core/text/safe-text.ts), and JSON lines escape what JSON.stringify
// leaves as it is.

import type { ServerSnapshot } from '../core/subscriptions/subscription-state.ts';
import { terminalText, visibleEscape } from '../core/text/safe-text.ts';
import type { CliIO } from './command.ts';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { bodyOf, formatValue, statusText, titleOf } from '../../server/protocol/event-vocabulary.ts';

/** HH:MM:SS in local time. */
export function clockTime(ms: number): string {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** One field on one line: line breaks read as ⏎, every other control as an escape. */
function field(text: string): string {
  return terminalText(text.replace(/\s*[\r\n]+\s*/g, ' ⏎ '));
}

/** Each key and value of a status is its own field, so a bidi control in one cannot reach the next. */
function statusFields(status: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(status)) fields[field(key)] = field(formatValue(value));
  return fields;
}

/** `12:00:03 notify  backups  Backup: nightly backup done` */
export function eventLine(event: HeraldEvent): string {
  const { topic, time } = event.data;
  let text: string;
  if (event.type === 'update') {
    text = statusText(statusFields(event.data.status));
  } else {
    const title = titleOf(event);
    const body = bodyOf(event);
    // An alert's or end's title repeats the topic: keep only what it adds.
    const shortTitle =
      title === topic ? '' : title.endsWith(`: ${topic}`) ? title.slice(0, -topic.length - 2) : title.startsWith(`${topic} `) ? title.slice(topic.length + 1) : title;
    text = [shortTitle, body].filter((part) => part !== '').map(field).join(': ');
  }
  return `${clockTime(time)} ${event.type.padEnd(6)}  ${field(topic)}  ${text}`;
}

/**
 * `io` with every line meant for a person escaped as a whole too (state and error
 * lines carry server messages); with --json, stdout's lines are JSON and pass as they are.
 */
export function terminalIO(io: CliIO, json: boolean): CliIO {
  return { ...io, out: json ? io.out : (line) => io.out(terminalText(line)), err: (line) => io.err(terminalText(line)) };
}

/** A connection change worth a line, or null when nothing the user cares about changed. */
export function stateLine(snapshot: ServerSnapshot, previous: ServerSnapshot | undefined, now: number): string | null {
  const c = snapshot.connection;
  const p = previous?.connection;
  if (p && p.kind === c.kind && ('reason' in p ? p.reason : '') === ('reason' in c ? c.reason : '')) return null;
  const topics = Object.keys(snapshot.topics).join(', ');
  switch (c.kind) {
    case 'connecting':
      return p?.kind === 'reconnecting' ? null : `-- connecting to ${snapshot.url} (${topics})`;
    case 'live':
      return `-- live: ${topics}`;
    case 'reconnecting':
      return `-- ${c.reason}; reconnecting in ${Math.max(0, Math.round((c.retryAt - now) / 100) / 10)}s`;
    case 'failed':
      return `-- failed: ${c.reason}`;
    case 'closed':
      return `-- closed: ${c.reason}`;
  }
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, the C1 controls, U+2028/U+2029
 * and bidi controls raw; escape those too. Still the same JSON: `\u009b` parses back
 * to the character.
 */
function terminalJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, visibleEscape);
}

export function eventJson(event: HeraldEvent): string {
  return terminalJson({ kind: 'event', id: event.id, type: event.type, data: event.data });
}

export function stateJson(snapshot: ServerSnapshot): string {
  return terminalJson({ kind: 'state', url: snapshot.url, connection: snapshot.connection, topics: snapshot.topics });
}
