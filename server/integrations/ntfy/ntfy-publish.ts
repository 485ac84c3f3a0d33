// Publishing the ntfy way (ntfy docs, "Publishing"): `PUT`/`POST /<topic>` with the
// message as the body and its options as headers or query parameters, and
// `PUT`/`POST /` with the whole message as JSON. Each becomes one Herald `notify`
// (docs/integrations.md, "ntfy", has the table of what is kept, mapped and refused),
// and the answer is the message as ntfy answers it: 200 with its JSON.

import type { ServerResponse } from 'node:http';
import { HeraldError, describeValue } from '../../protocol/errors.ts';
import type { NotifyData } from '../../protocol/events.ts';
import { isPlainObject, type EventCandidate } from '../../protocol/event-validation.ts';
import { bodyText, parsePriority, parseTags } from '../../http/publish-request.ts';
import { NtfyParams } from './ntfy-params.ts';
import { parseActions } from './ntfy-actions.ts';
import { ntfyTopic } from './ntfy-topics.ts';
import type { NtfyMessage } from './ntfy-message.ts';
import { goJson } from '../go-json.ts';

/** ntfy's text for a message published without one (server.go `emptyMessageBody`). */
const EMPTY_MESSAGE = 'triggered';

function refused(feature: string, names: string, why: string): HeraldError {
  return new HeraldError('bad_request', `expected no ${names}: ${feature} ${why}`);
}

/** ntfy options Herald cannot honour without changing what the message means: refused, not dropped. */
function refuseUnsupported(params: NtfyParams): void {
  if (params.get('x-attach', 'attach', 'a') !== '' || params.get('x-filename', 'filename', 'file', 'f') !== '') {
    throw refused('attachments', 'Attach or Filename', 'are not supported by Herald; send the file\'s URL as the message or as Click');
  }
  if (params.get('x-delay', 'delay', 'x-at', 'at', 'x-in', 'in') !== '') {
    throw refused('delayed delivery', 'Delay, At or In', 'is not supported by Herald: it delivers every message when it arrives');
  }
  const template = params.get('x-template', 'template', 'tpl').toLowerCase();
  if (template !== '' && !['0', 'no', 'false'].includes(template)) {
    throw refused('message templates', 'Template', 'are not supported by Herald; send the finished text');
  }
}

/**
 * The notify event an ntfy publish describes, for the publisher to check and store.
 * `body` is the request body (or a JSON publish's message).
 */
export function eventFromNtfy(topic: string, body: Buffer, params: NtfyParams, now: number): EventCandidate {
  refuseUnsupported(params);
  const text = bodyText(body);
  let message = params.get('x-message', 'message', 'm').replaceAll('\\n', '\n');
  if (body.length > 0) message = text.trim();
  const data: Record<string, unknown> & Partial<NotifyData> = {
    topic,
    time: now,
    body: message === '' ? EMPTY_MESSAGE : message,
    priority: parsePriority(params.get('x-priority', 'priority', 'prio', 'p')),
    tags: parseTags(params.get('x-tags', 'tags', 'tag', 'ta')),
  };
  const title = params.get('x-title', 'title', 't');
  if (title !== '') data.title = title;
  const click = params.get('x-click', 'click');
  if (click !== '') data.click = click;
  const icon = params.get('x-icon', 'icon');
  if (icon !== '') data.icon = icon;
  const actions = params.get('x-actions', 'actions', 'action');
  if (actions !== '') {
    const parsed = parseActions(actions);
    if (parsed.length > 0) data.actions = parsed;
  }
  const contentType = params.get('content-type', 'content_type').split(';')[0]!.trim().toLowerCase();
  if (params.bool(false, 'x-markdown', 'markdown', 'md') || contentType === 'text/markdown') data.markdown = true;
  return { type: 'notify', data };
}

/** JSON fields of ntfy's publishMessage that travel as headers, and the header each sets. */
const STRING_FIELDS: Record<string, string> = {
  title: 'x-title',
  click: 'x-click',
  icon: 'x-icon',
  attach: 'x-attach',
  filename: 'x-filename',
  email: 'x-email',
  call: 'x-call',
  cache: 'x-cache',
  firebase: 'x-firebase',
  delay: 'x-delay',
};

function badField(field: string, expected: string, got: unknown): HeraldError {
  return new HeraldError('bad_json', `expected "${field}" to be ${expected}, got ${describeValue(got)}`);
}

/**
 * A JSON publish (`POST /`, ntfy docs "Publish as JSON"): its topic, and its fields
 * as the headers ntfy turns them into (ntfy's `transformBodyJSON`), so they go
 * through the same reading as a header publish and win over the request's own.
 */
export function readJsonPublish(body: Buffer): { topic: string; message: Buffer; overlay: Map<string, string> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText(body));
  } catch (error) {
    if (error instanceof HeraldError) throw error;
    throw new HeraldError('bad_json', `expected a JSON object such as {"topic": "mytopic", "message": "..."}, got invalid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new HeraldError('bad_json', `expected a JSON object such as {"topic": "mytopic", "message": "..."}, got ${describeValue(parsed)}`);
  if (typeof parsed.topic !== 'string') throw badField('topic', 'the topic to publish to, a string', parsed.topic);
  const topic = ntfyTopic(parsed.topic);
  const overlay = new Map<string, string>();
  for (const [field, header] of Object.entries(STRING_FIELDS)) {
    const value = parsed[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw badField(field, 'a string', value);
    if (value !== '') overlay.set(header, value);
  }
  const { priority, tags, markdown, actions } = parsed;
  // null is "not given", as Go's JSON decoding leaves the field empty.
  const message = parsed.message ?? '';
  if (typeof message !== 'string') throw badField('message', 'a string', message);
  if (priority !== undefined && priority !== null && priority !== 0) {
    if (typeof priority !== 'number' && typeof priority !== 'string') throw badField('priority', 'a number from 1 to 5', priority);
    overlay.set('x-priority', String(priority));
  }
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) throw badField('tags', 'an array of strings', tags);
    if (tags.length > 0) overlay.set('x-tags', tags.join(','));
  }
  if (markdown !== undefined && markdown !== null) {
    if (typeof markdown !== 'boolean') throw badField('markdown', 'true or false', markdown);
    if (markdown) overlay.set('x-markdown', 'yes');
  }
  if (actions !== undefined && actions !== null) {
    if (!Array.isArray(actions)) throw badField('actions', 'an array of actions', actions);
    if (actions.length > 0) overlay.set('x-actions', JSON.stringify(actions));
  }
  return { topic, message: Buffer.from(message === '' ? EMPTY_MESSAGE : message, 'utf8'), overlay };
}

/** ntfy's JSON answer (Go's json.Encoder: the JSON and a newline). */
export function sendNtfyJson(res: ServerResponse, body: NtfyMessage | Record<string, unknown>): void {
  const text = `${goJson(body)}\n`;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
