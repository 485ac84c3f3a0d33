// One line of an ntfy subscription (ntfy docs, "Subscribe via API", "JSON message
// format"; ntfy's server/types.go `message`) read as what the desktop core does with
// it: `open` and `keepalive` keep the connection alive, a `poll_request` asks the
// client to poll the topic, and a `message` becomes a Herald `notify` event, so
// history, policy, the tray and notifications treat it like any other:
//
// - id -> the event id (and the resume point, sent back as `since=<id>`); time
//   (Unix seconds) -> milliseconds; topic -> the topic of the same name.
// - message -> body (a base64 `encoding` is a binary message: said, not shown);
//   title -> title; priority 1-5 as is (absent: 3); tags as they are (those that are
//   emoji short codes are shown as emoji where the event is shown: titleOf and bodyOf
//   in event-vocabulary.ts, the window from the tags; not written into the title too).
// - click -> click, icon -> icon, only http(s) URLs; `content_type: text/markdown` ->
//   markdown; `view` actions with http(s) URLs -> link buttons. `http` and
//   `broadcast` actions (they would make the desktop send requests or Android
//   intents) and attachments are left out.
//
// A field that is malformed is left out with a note; a line without what every
// message needs (id, time, event, topic) is refused with a problem. Free of Node and
// DOM APIs; parse through event-vocabulary.ts, which re-exports it.

import { describeValue } from './errors.ts';
import { checkEventData, isPlainObject, MAX_TAG_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH } from './event-validation.ts';
import type { HeraldEvent, NotifyAction, NotifyData } from './events.ts';
import { clip } from './text-parts.ts';
import { topicProblem } from './topics.ts';

/** ntfy's topic names (`topicRegex` in its server.go). */
export const NTFY_TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

/** How much of a refused line a problem quotes. */
const SHOWN = 80;
const MAX_ID_LENGTH = 200;
const MAX_URL_LENGTH = 2048;

export type NtfyLine =
  /** `open` (the stream is subscribed) or `keepalive`; `time` in ms, as the server's clock says. */
  | { kind: 'open' | 'keepalive'; time: number }
  | { kind: 'message'; event: HeraldEvent<'notify'>; notes: string[] }
  /** The server asks the client to poll `topic` (ntfy's poll requests, `poll_id` being the message's id where it was published). */
  | { kind: 'poll_request'; topic: string; pollId: string | null }
  /** An event type this client does not know (a newer server's): skipped. */
  | { kind: 'other'; event: string }
  | { kind: 'invalid'; problem: string };

/** A line of an ntfy JSON stream (or an ntfy SSE event's data). */
export function readNtfyLine(text: string): NtfyLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalid(`expected an ntfy message as JSON, got ${describeValue(text)}`);
  }
  return readNtfyMessage(parsed);
}

export function readNtfyMessage(value: unknown): NtfyLine {
  if (!isPlainObject(value)) return invalid(`expected an ntfy message object, got ${describeValue(value)}`);
  const { id, time, event, topic } = value;
  if (typeof event !== 'string' || event === '') return invalid(`expected an ntfy message with an "event", got ${describeValue(event)}`);
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) {
    return invalid(`expected "time" of the ntfy ${event} in Unix seconds, got ${describeValue(time)}`);
  }
  const ms = Math.round(time * 1000);
  if (event === 'open' || event === 'keepalive') return { kind: event, time: ms };
  if (event !== 'message' && event !== 'poll_request') return { kind: 'other', event: event.slice(0, SHOWN) };
  if (typeof topic !== 'string' || topicProblem(topic) !== null) {
    return invalid(`expected the ntfy ${event}'s "topic" to be a topic name, got ${describeValue(topic)}`);
  }
  if (event === 'poll_request') {
    return { kind: 'poll_request', topic, pollId: typeof value.poll_id === 'string' && value.poll_id !== '' ? value.poll_id : null };
  }
  if (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH || /[\s\u0000-\u001f]/.test(id)) {
    return invalid(`expected an ntfy message "id" (1 to ${MAX_ID_LENGTH} visible characters), got ${describeValue(id)}`);
  }
  return messageEvent(value, id, topic, ms);
}

function messageEvent(value: Record<string, unknown>, id: string, topic: string, time: number): NtfyLine {
  const notes: string[] = [];
  const note = (field: string, expected: string, got: unknown) => notes.push(`ntfy message ${id}: left out "${field}": expected ${expected}, got ${describeValue(got)}`);

  const tags = readTags(value.tags, (got) => note('tags', 'an array of tags', got));
  const title = typeof value.title === 'string' ? value.title : '';
  if (value.title !== undefined && typeof value.title !== 'string') note('title', 'a string', value.title);
  const body = bodyOf(value, (got) => note('message', 'a string', got));
  const data: NotifyData = { topic, time, body, priority: priorityOf(value.priority, (got) => note('priority', 'an integer from 1 to 5', got)), tags };
  if (title) data.title = clip(title, MAX_TITLE_LENGTH);
  const click = httpUrl(value.click, (got) => note('click', 'an http(s) URL', got));
  if (click !== undefined) data.click = click;
  const icon = httpUrl(value.icon, (got) => note('icon', 'an http(s) URL', got));
  if (icon !== undefined) data.icon = icon;
  if (value.content_type === 'text/markdown') data.markdown = true;
  const actions = viewActions(value.actions, (got) => note('actions', 'an array of actions', got));
  if (actions.length > 0) data.actions = actions;
  try {
    return { kind: 'message', event: { id, type: 'notify', data: checkEventData('notify', data) }, notes };
  } catch (error) {
    return invalid(`ntfy message ${id} cannot be shown: ${(error as Error).message}`);
  }
}

function bodyOf(value: Record<string, unknown>, bad: (got: unknown) => void): string {
  const message = value.message;
  if (message === undefined) return '';
  if (typeof message !== 'string') {
    bad(message);
    return '';
  }
  // UnifiedPush and binary publishes arrive base64-encoded: not text to show.
  if (value.encoding === 'base64') return `(a binary message of ${Math.floor((message.replace(/=+$/, '').length * 3) / 4)} bytes, not shown)`;
  return message;
}

function priorityOf(priority: unknown, bad: (got: unknown) => void): number {
  // ntfy leaves the default out (Go's omitempty): absent and 0 are 3.
  if (priority === undefined || priority === 0) return 3;
  if (typeof priority === 'number' && Number.isInteger(priority) && priority >= 1 && priority <= 5) return priority;
  bad(priority);
  return 3;
}

function readTags(tags: unknown, bad: (got: unknown) => void): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) {
    bad(tags);
    return [];
  }
  const kept = tags.filter((tag): tag is string => typeof tag === 'string' && tag.length > 0).map((tag) => clip(tag, MAX_TAG_LENGTH));
  if (kept.length !== tags.length) bad(tags.find((tag) => typeof tag !== 'string' || tag.length === 0));
  return kept.slice(0, MAX_TAGS);
}

/** An http(s) URL, or undefined (absent or anything else: `bad` hears of the latter). */
function httpUrl(value: unknown, bad: (got: unknown) => void): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && value.length <= MAX_URL_LENGTH && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return value;
  bad(typeof value === 'string' ? value.slice(0, SHOWN) : value);
  return undefined;
}

/** The `view` actions with http(s) URLs, as link buttons (at most 3, as ntfy allows). */
function viewActions(actions: unknown, bad: (got: unknown) => void): NotifyAction[] {
  if (actions === undefined || actions === null) return [];
  if (!Array.isArray(actions)) {
    bad(actions);
    return [];
  }
  const out: NotifyAction[] = [];
  for (const action of actions) {
    if (!isPlainObject(action) || action.action !== 'view') continue;
    const { label, url } = action;
    if (typeof label !== 'string' || label === '') continue;
    const link = httpUrl(url, () => {});
    if (link !== undefined) out.push({ action: 'view', label: clip(label, MAX_TITLE_LENGTH), url: link });
  }
  return out.slice(0, 3);
}

function invalid(problem: string): NtfyLine {
  return { kind: 'invalid', problem };
}
