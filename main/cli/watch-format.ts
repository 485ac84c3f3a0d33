// What `herald watch` prints: one readable line per event and per connection change,
// or with --json one JSON object per line (`{"kind":"event",...}` and
// `{"kind":"state",...}`) for scripts and `jq`.

import type { ServerSnapshot } from '../app/subscriptions/subscription-state.ts';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { bodyOf, statusText, titleOf } from '../../server/protocol/event-vocabulary.ts';

/** HH:MM:SS in local time. */
export function clockTime(ms: number): string {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ⏎ ');
}

/** `12:00:03 notify  backups  Backup: nightly backup done` */
export function eventLine(event: HeraldEvent): string {
  const { topic, time } = event.data;
  let text: string;
  if (event.type === 'update') {
    text = statusText(event.data.status);
  } else {
    const title = titleOf(event);
    const body = bodyOf(event);
    // An alert's or end's title repeats the topic: keep only what it adds.
    const shortTitle =
      title === topic ? '' : title.endsWith(`: ${topic}`) ? title.slice(0, -topic.length - 2) : title.startsWith(`${topic} `) ? title.slice(topic.length + 1) : title;
    text = [shortTitle, body].filter((part) => part !== '').join(': ');
  }
  return `${clockTime(time)} ${event.type.padEnd(6)}  ${topic}  ${oneLine(text)}`;
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

export function eventJson(event: HeraldEvent): string {
  return JSON.stringify({ kind: 'event', id: event.id, type: event.type, data: event.data });
}

export function stateJson(snapshot: ServerSnapshot): string {
  return JSON.stringify({ kind: 'state', url: snapshot.url, connection: snapshot.connection, topics: snapshot.topics });
}
