// Checks an event's data against the wire protocol's payload types (events.ts), so
// nothing malformed is stored, streamed or shown. Two uses: the server checks every
// event before it reaches the log (validateNewEvent: strict, unknown fields refused),
// and a client checks every event it receives (checkEventData, through parseEvent in
// event-parse.ts: a field a newer server adds is kept, not refused). Every message
// says which field, what was expected and what arrived.

import { HeraldError, describeValue } from './errors.ts';
import {
  END_STATES,
  LEVELS,
  isEndState,
  isEventType,
  isLevel,
  type EventDataByType,
  type EventType,
  type NewEvent,
} from './events.ts';
import { patternProblem, topicProblem } from './topics.ts';

export const MAX_TITLE_LENGTH = 256;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 64;
export const MAX_CLICK_LENGTH = 2048;
export const MAX_ACTIONS = 3;
/** Headers of one `http` action. */
const MAX_ACTION_HEADERS = 20;

const FIELDS: Record<EventType, readonly string[]> = {
  update: ['topic', 'time', 'status', 'changed'],
  notify: ['topic', 'time', 'title', 'body', 'priority', 'tags', 'click', 'actions', 'markdown', 'icon'],
  alert: ['topic', 'time', 'level', 'previous', 'metric', 'value', 'message', 'click'],
  end: ['topic', 'time', 'state', 'exitCode', 'durationMs', 'summary'],
  gap: ['topic', 'time', 'reason', 'since', 'lost', 'message'],
};

/** An event as a producer hands it in, not checked yet (an HTTP body, a source's object). */
export interface EventCandidate {
  type: unknown;
  data: unknown;
}

function fail(message: string): never {
  throw new HeraldError('bad_request', message);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectString(data: Record<string, unknown>, field: string, optional: boolean, max = Infinity): void {
  const value = data[field];
  if (value === undefined && optional) return;
  if (typeof value !== 'string') fail(`expected "${field}" to be a string, got ${describeValue(value)}`);
  if (value.length > max) fail(`expected "${field}" of at most ${max} characters, got ${value.length}`);
}

function expectLevel(data: Record<string, unknown>, field: string, optional: boolean): void {
  const value = data[field];
  if (value === undefined && optional) return;
  if (!isLevel(value)) fail(`expected "${field}" to be one of ${LEVELS.join(', ')}, got ${describeValue(value)}`);
}

/** A checked copy of an event to publish; throws HeraldError('bad_request' | 'bad_topic'). */
export function validateNewEvent(event: EventCandidate): NewEvent {
  const { type, data } = event;
  if (type === 'gap') fail('a gap event is made by the server when a resume id is older than retention; it cannot be published');
  if (!isEventType(type)) fail(`expected an event type of update, notify, alert or end, got ${describeValue(type)}`);
  return { type, data: checkData(type, data, true) } as unknown as NewEvent;
}

/**
 * A checked copy of the data of a received `type` event: its topic, time and every
 * field its type requires. Fields the protocol does not name are kept, not refused:
 * a client must read the events of a newer server.
 */
export function checkEventData<T extends EventType>(type: T, data: unknown): EventDataByType[T] {
  return checkData(type, data, false) as unknown as EventDataByType[T];
}

function checkData(type: EventType, data: unknown, knownFieldsOnly: boolean): Record<string, unknown> {
  if (!isPlainObject(data)) fail(`expected the event data to be an object, got ${describeValue(data)}`);
  // A gap about a resume id the server never issued names the pattern subscribed to.
  const topic = type === 'gap' && typeof data.topic === 'string' ? patternProblem(data.topic) : topicProblem(data.topic);
  if (topic) throw new HeraldError('bad_topic', topic);
  const time = data.time;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) {
    fail(`expected "time" in epoch milliseconds, got ${describeValue(time)}`);
  }
  if (knownFieldsOnly) {
    const allowed = FIELDS[type];
    for (const key of Object.keys(data)) {
      if (!allowed.includes(key)) fail(`unknown field "${key}" for a ${type} event; expected some of ${allowed.join(', ')}`);
    }
  }
  CHECKS[type](data);
  return { ...data };
}

function checkUpdate(data: Record<string, unknown>): void {
  if (!isPlainObject(data.status)) fail(`expected "status" to be an object, got ${describeValue(data.status)}`);
  const changed = data.changed;
  if (changed !== undefined && !(Array.isArray(changed) && changed.every((k) => typeof k === 'string'))) {
    fail(`expected "changed" to be an array of status keys, got ${describeValue(changed)}`);
  }
}

function checkNotify(data: Record<string, unknown>): void {
  expectString(data, 'title', true, MAX_TITLE_LENGTH);
  expectString(data, 'body', false);
  const priority = data.priority;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 5) {
    fail(`expected "priority" to be an integer from 1 to 5, got ${describeValue(priority)}`);
  }
  const tags = data.tags;
  if (!Array.isArray(tags)) fail(`expected "tags" to be an array of strings, got ${describeValue(tags)}`);
  if (tags.length > MAX_TAGS) fail(`expected at most ${MAX_TAGS} tags, got ${tags.length}`);
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_TAG_LENGTH) {
      fail(`expected each tag to be a string of 1 to ${MAX_TAG_LENGTH} characters, got ${describeValue(tag)}`);
    }
  }
  if (data.click !== undefined) checkUrl('click', data.click);
  if (data.icon !== undefined) checkUrl('icon', data.icon);
  if (data.markdown !== undefined && typeof data.markdown !== 'boolean') {
    fail(`expected "markdown" to be true or false, got ${describeValue(data.markdown)}`);
  }
  if (data.actions !== undefined) checkActions(data.actions);
}

/** An http(s) URL: what the desktop may open or fetch (no file:, javascript: or app schemes). */
function checkUrl(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length > MAX_CLICK_LENGTH) {
    fail(`expected "${field}" to be an http(s) URL of at most ${MAX_CLICK_LENGTH} characters, got ${describeValue(value)}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`expected "${field}" to be an absolute http(s) URL, got ${describeValue(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(`expected "${field}" to be an http or https URL, got a ${url.protocol} URL`);
  }
}

const ACTION_FIELDS = { view: ['action', 'label', 'url', 'clear'], http: ['action', 'label', 'url', 'method', 'headers', 'body', 'clear'] } as const;

function checkActions(actions: unknown): void {
  if (!Array.isArray(actions)) fail(`expected "actions" to be an array of actions, got ${describeValue(actions)}`);
  if (actions.length > MAX_ACTIONS) fail(`expected at most ${MAX_ACTIONS} actions, got ${actions.length}`);
  for (const [index, action] of actions.entries()) {
    const at = `actions[${index}]`;
    if (!isPlainObject(action)) fail(`expected ${at} to be an object, got ${describeValue(action)}`);
    const kind = action.action;
    if (kind !== 'view' && kind !== 'http') fail(`expected ${at}.action to be "view" or "http", got ${describeValue(kind)}`);
    const allowed: readonly string[] = ACTION_FIELDS[kind];
    for (const key of Object.keys(action)) {
      if (!allowed.includes(key)) fail(`unknown field "${key}" in ${at}, a ${kind} action; expected some of ${allowed.join(', ')}`);
    }
    if (typeof action.label !== 'string' || action.label.length === 0 || action.label.length > MAX_TITLE_LENGTH) {
      fail(`expected ${at}.label to be a string of 1 to ${MAX_TITLE_LENGTH} characters, got ${describeValue(action.label)}`);
    }
    checkUrl(`${at}.url`, action.url);
    if (action.clear !== undefined && typeof action.clear !== 'boolean') fail(`expected ${at}.clear to be true or false, got ${describeValue(action.clear)}`);
    if (kind === 'http') checkHttpAction(at, action);
  }
}

function checkHttpAction(at: string, action: Record<string, unknown>): void {
  const { method, headers, body } = action;
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Z]{1,16}$/.test(method))) {
    fail(`expected ${at}.method to be an upper-case HTTP method such as POST, got ${describeValue(method)}`);
  }
  if (headers !== undefined) {
    if (!isPlainObject(headers) || !Object.values(headers).every((v) => typeof v === 'string')) {
      fail(`expected ${at}.headers to be an object of strings, got ${describeValue(headers)}`);
    }
    if (Object.keys(headers).length > MAX_ACTION_HEADERS) fail(`expected at most ${MAX_ACTION_HEADERS} headers in ${at}, got ${Object.keys(headers).length}`);
  }
  if (body !== undefined && typeof body !== 'string') fail(`expected ${at}.body to be a string, got ${describeValue(body)}`);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) fail(`expected no body in ${at}, a ${method} action, got one`);
}

function checkAlert(data: Record<string, unknown>): void {
  expectLevel(data, 'level', false);
  expectLevel(data, 'previous', true);
  expectString(data, 'metric', true, 200);
  expectString(data, 'message', false);
  const value = data.value;
  if (value !== undefined && value !== null && typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    fail(`expected "value" to be a number, a string or null, got ${describeValue(value)}`);
  }
  if (data.click !== undefined) checkUrl('click', data.click);
}

function checkEnd(data: Record<string, unknown>): void {
  if (!isEndState(data.state)) fail(`expected "state" to be one of ${END_STATES.join(', ')}, got ${describeValue(data.state)}`);
  const exitCode = data.exitCode;
  if (exitCode !== null && !(typeof exitCode === 'number' && Number.isInteger(exitCode))) {
    fail(`expected "exitCode" to be an integer or null, got ${describeValue(exitCode)}`);
  }
  const duration = data.durationMs;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
    fail(`expected "durationMs" to be a non-negative number, got ${describeValue(duration)}`);
  }
  expectString(data, 'summary', false);
}

function checkGap(data: Record<string, unknown>): void {
  // Why events may be missing (GAP_REASONS); absent from older servers, and a reason a
  // newer server adds is kept (a client acts only on the ones it knows).
  expectString(data, 'reason', true);
  expectString(data, 'since', false);
  const lost = data.lost;
  if (lost !== null && !(typeof lost === 'number' && Number.isSafeInteger(lost) && lost >= 0)) {
    fail(`expected "lost" to be a count of events or null, got ${describeValue(lost)}`);
  }
  expectString(data, 'message', false);
}

const CHECKS: Record<EventType, (data: Record<string, unknown>) => void> = {
  update: checkUpdate,
  notify: checkNotify,
  alert: checkAlert,
  end: checkEnd,
  gap: checkGap,
};
