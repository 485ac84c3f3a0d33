// `POST /topics/:topic` bodies -> events (docs/protocol.md, "Publish"). This reads
// the body's form (text or JSON, headers, priority names, tags, the topic from the
// URL); the event itself is checked once, by PublishService, as every producer's is.
// text/plain: the body is a notify message; Title, Priority, Tags and Click headers.
// application/json: `{title, body, priority, tags, click}` is a notify, `{status}` an
// update, and an explicit `"event"` picks update, notify, alert or end with that
// type's fields (`herald run` publishes update and end this way).

import type { IncomingHttpHeaders } from 'node:http';
import { HeraldError, describeValue } from '../protocol/errors.ts';
import { isPlainObject, type EventCandidate } from '../protocol/event-validation.ts';
import { decodeUtf8 } from '../protocol/utf8.ts';

const PRIORITY_NAMES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 };
export const DEFAULT_PRIORITY = 3;

function badRequest(message: string): HeraldError {
  return new HeraldError('bad_request', message);
}

/** 1-5, or min/low/default/high/max/urgent, as a number or a string. */
export function parsePriority(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_PRIORITY;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 5) return raw;
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (/^[1-5]$/.test(text)) return Number(text);
    const named = PRIORITY_NAMES[text];
    if (named !== undefined) return named;
  }
  throw badRequest(`expected a priority of 1 to 5 or min, low, default, high, max, urgent; got ${describeValue(raw)}`);
}

/** A comma list or an array of strings; blanks dropped. */
export function parseTags(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const list = typeof raw === 'string' ? raw.split(',') : raw;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    throw badRequest(`expected tags as a comma list or an array of strings, got ${describeValue(raw)}`);
  }
  return list.map((t) => t.trim()).filter((t) => t.length > 0);
}

/**
 * Header values arrive as latin1; a UTF-8 title is decoded back when its bytes are
 * valid UTF-8 (curl sends `-H "Title: Café"` as raw UTF-8 bytes).
 */
function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value.join(', ') : value;
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'latin1');
  const decoded = bytes.toString('utf8');
  return Buffer.from(decoded, 'utf8').equals(bytes) ? decoded : text;
}

/**
 * The body as UTF-8 text, or 400 when its bytes are not UTF-8: refused rather than
 * stored with U+FFFD in place of what was sent (found by test/fuzz-publish.test.ts).
 */
export function bodyText(body: Buffer): string {
  const decoded = decodeUtf8(body);
  if (decoded.ok) return decoded.text;
  throw badRequest(`expected the body as UTF-8, got bytes that are not UTF-8 at byte ${decoded.offset} (${body.length} bytes starting ${JSON.stringify(body.subarray(0, 16).toString('latin1'))}); send text, or base64 for binary data`);
}

export function eventFromText(topic: string, body: Buffer, headers: IncomingHttpHeaders, now: number): EventCandidate {
  const text = bodyText(body);
  if (text.trim().length === 0) throw badRequest('expected a message in the body, got an empty body');
  const data: Record<string, unknown> = {
    topic,
    time: now,
    body: text,
    priority: parsePriority(headerText(headers, 'priority') ?? headerText(headers, 'x-priority')),
    tags: parseTags(headerText(headers, 'tags') ?? headerText(headers, 'x-tags')),
  };
  const title = headerText(headers, 'title') ?? headerText(headers, 'x-title');
  if (title !== undefined && title !== '') data.title = title;
  const click = headerText(headers, 'click') ?? headerText(headers, 'x-click');
  if (click !== undefined && click !== '') data.click = click;
  return { type: 'notify', data };
}

export function eventFromJson(topic: string, body: Buffer, now: number): EventCandidate {
  const text = bodyText(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HeraldError('bad_json', `expected a JSON object, got invalid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new HeraldError('bad_json', `expected a JSON object, got ${describeValue(parsed)}`);
  const { event, topic: named, time, ...fields } = parsed;
  if (named !== undefined && named !== topic) {
    throw badRequest(`the topic comes from the URL; the body names ${describeValue(named)}, the URL ${describeValue(topic)}`);
  }
  if (time !== undefined) throw badRequest('"time" is set by the server; leave it out');
  const type = event ?? ('status' in fields ? 'update' : 'notify');
  if (type === 'notify') {
    const data = {
      ...fields,
      topic,
      time: now,
      body: fields.body ?? '',
      priority: parsePriority(fields.priority),
      tags: parseTags(fields.tags),
    };
    if (data.body === '' && (fields.title === undefined || fields.title === '')) {
      throw badRequest('expected a "body" or a "title" in the message, got neither');
    }
    return { type, data };
  }
  return { type, data: { ...fields, topic, time: now } };
}
