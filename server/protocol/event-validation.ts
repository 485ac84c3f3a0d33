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
import { topicProblem } from './topics.ts';

export const MAX_TITLE_LENGTH = 256;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 64;
export const MAX_CLICK_LENGTH = 2048;

const FIELDS: Record<EventType, readonly string[]> = {
  update: ['topic', 'time', 'status', 'changed'],
  notify: ['topic', 'time', 'title', 'body', 'priority', 'tags', 'click'],
  alert: ['topic', 'time', 'level', 'previous', 'metric', 'value', 'message'],
  end: ['topic', 'time', 'state', 'exitCode', 'durationMs', 'summary'],
  gap: ['topic', 'time', 'since', 'lost', 'message'],
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
  const topic = topicProblem(data.topic);
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
  if (data.click !== undefined) checkClick(data.click);
}

function checkClick(click: unknown): void {
  if (typeof click !== 'string' || click.length > MAX_CLICK_LENGTH) {
    fail(`expected "click" to be an http(s) URL of at most ${MAX_CLICK_LENGTH} characters, got ${describeValue(click)}`);
  }
  let url: URL;
  try {
    url = new URL(click);
  } catch {
    fail(`expected "click" to be an absolute http(s) URL, got ${describeValue(click)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(`expected "click" to be an http or https URL, got a ${url.protocol} URL`);
  }
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
