// Herald events as ntfy messages (ntfy docs, "Subscribe via API: JSON message
// format"; ntfy's server/types.go `message`), and the three ntfy stream formats.
//
// - A `notify` is a `message`: body -> message, and title, priority (left out when it
//   is the default 3, as ntfy leaves out a priority nobody set), tags, click, icon,
//   actions, and `content_type: "text/markdown"` for a Markdown body.
// - An `alert` is a `message` too: the alert's text, titled `<topic>: <level>`, with
//   priority 5, 4 or 3, the tag rotating_light, warning or white_check_mark (ntfy
//   shows tags that are emoji short codes as emoji), and its click URL.
// - Status updates, ends and gaps have no ntfy form and are not sent.
//
// Ids: ntfy clients resume with `since=<id>`, where a bare number means a Unix time.
// Herald's SQLite ids are numbers too, so a Herald id travels as `h<id>` ("h42",
// "h1767225600000-0" over Redis). Times are Unix seconds; `expires` is the time
// plus the log's age limit. The JSON is written as Go writes it (../go-json.ts), so
// the bytes match an ntfy server's.

import { randomBytes } from 'node:crypto';
import type { HeraldEvent, Level, NotifyAction } from '../../protocol/events.ts';
import type { EventLog } from '../../store/event-log.ts';
import { encodeFrame } from '../../protocol/frames.ts';
import type { StreamFormat } from '../../hub/stream-format.ts';
import { goJson } from '../go-json.ts';

const ID_PREFIX = 'h';

export function ntfyId(heraldId: string): string {
  return `${ID_PREFIX}${heraldId}`;
}

/** The Herald id inside an ntfy id this server sent, or null when `raw` is not one. */
export function heraldIdOf(raw: string, log: Pick<EventLog, 'isValidId'>): string | null {
  if (!raw.startsWith(ID_PREFIX)) return null;
  const id = raw.slice(ID_PREFIX.length);
  return log.isValidId(id) ? id : null;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random id of 12 letters and digits, like ntfy's, for `open` and `keepalive` messages. */
export function randomNtfyId(): string {
  let id = '';
  for (const byte of randomBytes(12)) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export type NtfyEvent = 'open' | 'keepalive' | 'message';

/** ntfy's action as it sends it: an id, and `clear` always present. */
export type NtfyActionOut = { id: string } & Omit<NotifyAction, 'clear'> & { clear: boolean };

export interface NtfyMessage {
  id: string;
  time: number;
  expires?: number;
  event: NtfyEvent;
  topic: string;
  title?: string;
  message?: string;
  priority?: number;
  tags?: string[];
  click?: string;
  icon?: string;
  actions?: NtfyActionOut[];
  content_type?: string;
}

const ALERT_LOOK: Record<Level, { priority: number; tag: string }> = {
  critical: { priority: 5, tag: 'rotating_light' },
  warn: { priority: 4, tag: 'warning' },
  ok: { priority: 3, tag: 'white_check_mark' },
};

/** How long a message stays in the log, for `expires` (null: do not say). */
export type ExpiresAfterMs = number | null;

/** Whether ntfy streams carry `event` (notify and alert events). */
export function isNtfyMessage(event: HeraldEvent): event is HeraldEvent<'notify' | 'alert'> {
  return event.type === 'notify' || event.type === 'alert';
}

/** `event` as an ntfy message, or null when ntfy has no form for it. Fields in ntfy's order. */
export function ntfyMessageOf(event: HeraldEvent, expiresAfterMs: ExpiresAfterMs): NtfyMessage | null {
  if (!isNtfyMessage(event)) return null;
  const id = ntfyId(event.id);
  const time = Math.floor(event.data.time / 1000);
  const head: NtfyMessage = {
    id,
    time,
    ...(expiresAfterMs === null ? {} : { expires: Math.floor((event.data.time + expiresAfterMs) / 1000) }),
    event: 'message',
    topic: event.data.topic,
  };
  if (event.type === 'alert') {
    const { level, message, topic, click } = event.data;
    const look = ALERT_LOOK[level];
    return {
      ...head,
      title: `${topic}: ${level}`,
      message,
      ...(look.priority === 3 ? {} : { priority: look.priority }),
      tags: [look.tag],
      ...(click === undefined ? {} : { click }),
    };
  }
  const data = event.data;
  const out: NtfyMessage = { ...head };
  if (data.title !== undefined && data.title !== '') out.title = data.title;
  out.message = data.body;
  if (data.priority !== 3) out.priority = data.priority;
  if (data.tags.length > 0) out.tags = data.tags;
  if (data.click !== undefined) out.click = data.click;
  if (data.icon !== undefined) out.icon = data.icon;
  if (data.actions !== undefined && data.actions.length > 0) {
    out.actions = data.actions.map((action, index) => ({ id: `${id}a${index + 1}`, ...action, clear: action.clear === true }));
  }
  if (data.markdown === true) out.content_type = 'text/markdown';
  return out;
}

/** An `open` or `keepalive` message for the topics of one stream (`a,b`). */
export function ntfyControlMessage(event: 'open' | 'keepalive', topics: string, nowMs: number): NtfyMessage {
  return { id: randomNtfyId(), time: Math.floor(nowMs / 1000), event, topic: topics };
}

export type NtfyStreamKind = 'json' | 'sse' | 'raw';

/** One ntfy message on a stream of `kind`, as ntfy's handleSubscribeJSON/SSE/Raw write it. */
export function ntfyFrame(kind: NtfyStreamKind, message: NtfyMessage): Buffer {
  if (kind === 'raw') {
    // One line per message, its text only; open and keepalive are empty lines.
    return Buffer.from(message.event === 'message' ? `${(message.message ?? '').replace(/\n/g, ' ')}\n` : '\n');
  }
  const json = goJson(message);
  if (kind === 'json') return Buffer.from(`${json}\n`);
  // ntfy names the event only when it is not a message (EventSource's onmessage then
  // sees only messages). Herald adds the id of a message, so EventSource resumes with
  // Last-Event-ID after a reconnect.
  if (message.event === 'message') return Buffer.from(encodeFrame({ id: message.id, data: json }));
  return Buffer.from(encodeFrame({ event: message.event, data: json }));
}

export const NTFY_CONTENT_TYPES: Record<NtfyStreamKind, string> = {
  json: 'application/x-ndjson; charset=utf-8',
  sse: 'text/event-stream; charset=utf-8',
  raw: 'text/plain; charset=utf-8',
};

/** The three stream formats of one server (their `expires` comes from its retention). */
export function ntfyFormats(expiresAfterMs: ExpiresAfterMs): Record<NtfyStreamKind, StreamFormat> {
  const format = (kind: NtfyStreamKind): StreamFormat => ({
    encode(event) {
      const message = ntfyMessageOf(event, expiresAfterMs);
      return message === null ? null : ntfyFrame(kind, message);
    },
  });
  return { json: format('json'), sse: format('sse'), raw: format('raw') };
}
