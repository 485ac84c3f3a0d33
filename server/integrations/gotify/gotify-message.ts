// A Gotify message (Gotify's model/message.go `CreateMessage`; gotify.net docs,
// "Push messages", "Message Extras", "Message Priority") as a Herald notify, and the
// answer Gotify gives (`MessageExternal`).
//
// The body is JSON (`{message, title, priority, extras}`) or a form
// (application/x-www-form-urlencoded or multipart/form-data, as `curl -F` sends),
// whose fields may also come as query parameters, as Gotify's form binding reads
// them; extras only come in JSON. `message` is required.
//
// Priority, Gotify's 0-10 (and beyond) onto Herald's 1-5, following how Gotify's
// Android app treats them (none / quiet / sound / sound and vibration):
//
//   Gotify   <= 0   1-3   4-7   8-9   >= 10   none given
//   Herald      1     2     3     4       5   3 (answered as 5)
//
// `extras["client::notification"].click.url` becomes the click URL and
// `extras["client::display"].contentType: "text/markdown"` marks the body Markdown;
// other extras are answered back, as Gotify does, and not kept.

import type { IncomingMessage } from 'node:http';
import { HeraldError, describeValue } from '../../protocol/errors.ts';
import type { HeraldEvent } from '../../protocol/events.ts';
import { isPlainObject, type EventCandidate } from '../../protocol/event-validation.ts';
import { bodyText } from '../../http/publish-request.ts';
import { mediaType } from '../../http/request-body.ts';

export interface GotifyMessage {
  message: string;
  title: string;
  /** As sent, or null when none was. */
  priority: number | null;
  extras: Record<string, unknown> | null;
}

const SHAPE = 'a Gotify message ({"message": "...", "title": "...", "priority": 5} as JSON, or message, title and priority as form fields)';

function bad(message: string): HeraldError {
  return new HeraldError('bad_request', message);
}

/** The message a `POST /message` carries, from its JSON, form or query. */
export async function readGotifyMessage(req: IncomingMessage, url: URL, body: Buffer): Promise<GotifyMessage> {
  const type = mediaType(req);
  if (type === 'application/json') return fromJson(body);
  const fields = new Map<string, string>();
  const take = (name: string, value: string): void => {
    if (!fields.has(name)) fields.set(name, value);
  };
  if (type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(bodyText(body))) take(name, value);
  } else if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': req.headers['content-type']! } }).formData();
    } catch (error) {
      throw bad(`expected ${SHAPE}, got a multipart body that does not parse (${(error as Error).message})`);
    }
    for (const [name, value] of form) if (typeof value === 'string') take(name, value);
  }
  // Gotify's form binding reads the query too (after the body's fields).
  for (const [name, value] of url.searchParams) take(name, value);
  if (!fields.get('message') && body.length > 0 && type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    throw new HeraldError('unsupported_media_type', `expected ${SHAPE}: a body of type application/json, application/x-www-form-urlencoded or multipart/form-data, got ${type || 'one without a Content-Type'}`);
  }
  const priority = fields.get('priority');
  if (priority !== undefined && priority !== '' && !/^[-+]?\d{1,9}$/.test(priority.trim())) {
    throw bad(`expected "priority" to be a whole number (0 to 10), got ${describeValue(priority)}`);
  }
  return required({
    message: fields.get('message') ?? '',
    title: fields.get('title') ?? '',
    priority: priority === undefined || priority === '' ? null : Number(priority.trim()),
    extras: null,
  });
}

function fromJson(body: Buffer): GotifyMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText(body));
  } catch (error) {
    if (error instanceof HeraldError) throw error;
    throw new HeraldError('bad_json', `expected ${SHAPE}, got invalid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new HeraldError('bad_json', `expected ${SHAPE}, got ${describeValue(parsed)}`);
  // null is "not given", as Go's JSON decoding leaves the field empty.
  const message = parsed.message ?? '';
  const title = parsed.title ?? '';
  const priority = parsed.priority ?? null;
  const extras = parsed.extras ?? null;
  if (typeof message !== 'string') throw bad(`expected "message" to be a string, got ${describeValue(message)}`);
  if (typeof title !== 'string') throw bad(`expected "title" to be a string, got ${describeValue(title)}`);
  if (priority !== null && !(typeof priority === 'number' && Number.isSafeInteger(priority))) {
    throw bad(`expected "priority" to be a whole number (0 to 10), got ${describeValue(priority)}`);
  }
  if (extras !== null && !isPlainObject(extras)) throw bad(`expected "extras" to be an object, got ${describeValue(extras)}`);
  return required({ message, title, priority, extras });
}

function required(message: GotifyMessage): GotifyMessage {
  if (message.message === '') throw bad(`expected ${SHAPE} with a "message", got none`);
  return message;
}

/** Gotify's priority on Herald's scale (the table above). */
export function heraldPriority(gotify: number | null): number {
  if (gotify === null) return 3;
  if (gotify <= 0) return 1;
  if (gotify <= 3) return 2;
  if (gotify <= 7) return 3;
  if (gotify <= 9) return 4;
  return 5;
}

/** `extras[namespace][key]`, when both are objects. */
function extra(extras: Record<string, unknown> | null, namespace: string, key: string): unknown {
  const space = extras?.[namespace];
  return isPlainObject(space) ? space[key] : undefined;
}

/** The notify event a Gotify message describes, for the publisher to check and store. */
export function eventFromGotify(topic: string, message: GotifyMessage, now: number): EventCandidate {
  const data: Record<string, unknown> = { topic, time: now, body: message.message, priority: heraldPriority(message.priority), tags: [] };
  if (message.title.trim() !== '') data.title = message.title;
  const click = extra(message.extras, 'client::notification', 'click');
  if (isPlainObject(click) && click.url !== undefined) {
    if (typeof click.url !== 'string') throw bad(`expected extras["client::notification"].click.url to be a URL, got ${describeValue(click.url)}`);
    data.click = click.url;
  }
  if (extra(message.extras, 'client::display', 'contentType') === 'text/markdown') data.markdown = true;
  return { type: 'notify', data };
}

/** Gotify's numbers for ids: a Herald id as a number (a Redis stream id `a-b` as a*1000+b). */
export function numericId(id: string): number {
  const stream = /^(\d+)-(\d+)$/.exec(id);
  const value = stream ? Number(stream[1]) * 1000 + Number(stream[2]) : Number(id);
  return Number.isSafeInteger(value) ? value : 0;
}

/** What Gotify answers for a created message (`MessageExternal`), in its field order. */
export function gotifyAnswer(stored: HeraldEvent, message: GotifyMessage): Record<string, unknown> {
  return {
    id: numericId(stored.id),
    // Herald has no Gotify applications: every token publishes as application 1.
    appid: 1,
    message: message.message,
    title: message.title,
    priority: message.priority ?? 5,
    ...(message.extras === null ? {} : { extras: message.extras }),
    date: new Date(stored.data.time).toISOString(),
  };
}
