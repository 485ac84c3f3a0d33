// The event vocabulary: how Herald reads and says one event, the same everywhere it
// shows one (the desktop history, notifications, the tray, `herald watch`, the
// history window and the web dashboard). It parses a received SSE message
// (parseEvent, event-parse.ts), or a line of another kind of stream the desktop
// follows (an ntfy server's, ntfy-event.ts; a plain SSE endpoint's, sse-text-event.ts),
// and describes the event: its level, the urgency it
// notifies with, a title and body as a notification says them, a one-line summary as
// a list shows it, and durations as text. A summary is also said in parts
// (summaryParts, text-parts.ts), Herald's words apart from the publisher's text, so the
// window can isolate each publisher piece. Free of Node and DOM APIs: the renderer
// imports it too. The mapping is written down in docs/architecture.md ("Event
// vocabulary").

import type { EndData, EndState, HeraldEvent, Level } from './events.ts';
import { isLevel } from './events.ts';
import { splitTags } from './ntfy-emoji.ts';
import { clip, partsText, user, type TextPart } from './text-parts.ts';

export { parseEvent, type ParsedEvent, type SseMessage } from './event-parse.ts';
export { clip } from './text-parts.ts';
// Streams that are not Herald's, read as Herald events: ntfy's and plain SSE.
export { readNtfyLine, readNtfyMessage, NTFY_TOPIC, type NtfyLine } from './ntfy-event.ts';
export { sseTextEvent, compileSseTemplates, sseTemplateProblems, SSE_TEMPLATE_FIELDS, type SseTemplates, type CompiledSseTemplates, type SseTextEvent } from './sse-text-event.ts';

/** The protocol's levels, plus `info` for an event that carries no verdict (a message, a plain status). */
export type EventLevel = 'info' | Level;
export const EVENT_LEVELS: readonly EventLevel[] = ['info', 'ok', 'warn', 'critical'];

/** freedesktop urgency levels (Desktop Notifications Specification, "Urgency Levels"). */
export type Urgency = 'low' | 'normal' | 'critical';

/** Everything said about one event (see describeEvent). */
export interface EventDescription {
  level: EventLevel;
  urgency: Urgency;
  /** As a notification's title says it. */
  title: string;
  /** As a notification's body says it. */
  body: string;
  /** One line, as the event list says it. */
  summary: string;
}

const END_LEVEL: Record<EndState, Level> = { succeeded: 'ok', cancelled: 'warn', failed: 'critical', 'timed-out': 'critical' };

/**
 * How bad an event is: an alert has its level; an end is ok when it succeeded, warn
 * when cancelled, critical when it failed or timed out; a gap is warn (events were
 * lost); a message is critical at priority 5, warn at 4, else info; an update is the
 * `level` field of its status when that is a protocol level (the system source sets
 * one), else info.
 */
export function levelOf(event: HeraldEvent): EventLevel {
  switch (event.type) {
    case 'alert':
      return event.data.level;
    case 'end':
      return END_LEVEL[event.data.state];
    case 'gap':
      return 'warn';
    case 'notify':
      // Priority 5 is "max/urgent", 4 "high" (the ntfy scale the protocol borrows).
      return event.data.priority >= 5 ? 'critical' : event.data.priority === 4 ? 'warn' : 'info';
    case 'update': {
      const level = event.data.status['level'];
      return isLevel(level) ? level : 'info';
    }
  }
}

/** Priority (1..5) to urgency: 1-2 low, 3-4 normal, 5 critical; out of range is clamped, not refused. */
export function urgencyOfPriority(priority: number): Urgency {
  if (!Number.isFinite(priority) || priority <= 2) return 'low';
  return priority >= 5 ? 'critical' : 'normal';
}

/** The urgency an event notifies with; `rulePriority` is the priority of the settings rule that made an update notify. */
export function urgencyOf(event: HeraldEvent, rulePriority = 3): Urgency {
  switch (event.type) {
    case 'notify':
      return urgencyOfPriority(event.data.priority);
    case 'alert':
      // A recovery is good news: it should not interrupt like the alarm did.
      return event.data.level === 'critical' ? 'critical' : event.data.level === 'warn' ? 'normal' : 'low';
    case 'update':
      return urgencyOfPriority(rulePriority);
    case 'end':
    case 'gap':
      return 'normal';
  }
}

/**
 * A duration for people, in SI symbols: `0 ms`, `450 ms`, `1.5 s`, `2.0 s`, `12 s`,
 * `2 min 5 s`, `3 h 20 min`, `2 d 4 h`. Each form rounds before it picks its units,
 * so 59.6 s reads `1 min 0 s`, never `60 s`. `?` for a negative or non-finite value.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.floor(minutes / 60);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A status value on one line: strings as they are, numbers to two decimals, `–` for none, else JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  return JSON.stringify(value);
}

/** `state=running, progress=0.42`: the changed fields of an update, or all of them; each key and value a publisher part. */
export function statusParts(status: Record<string, unknown>, changed?: readonly string[]): TextPart[] {
  const keys = changed && changed.length > 0 ? changed : Object.keys(status);
  const parts: TextPart[] = [];
  for (const key of keys) {
    if (parts.length > 0) parts.push(', ');
    parts.push(user(key), '=', user(formatValue(status[key])));
  }
  return parts;
}

export function statusText(status: Record<string, unknown>, changed?: readonly string[]): string {
  return partsText(statusParts(status, changed));
}

type EndResult = Pick<EndData, 'state' | 'exitCode' | 'durationMs' | 'summary'>;

/** `failed, exit code 3, 12 s: tests failed`; the summary is the publisher's part. */
export function endResultParts(data: EndResult): TextPart[] {
  const exit = data.exitCode === null ? 'no exit code' : `exit code ${data.exitCode}`;
  const result = `${data.state}, ${exit}, ${formatDuration(data.durationMs)}`;
  return data.summary ? [result, ': ', user(data.summary)] : [result];
}

export function endResultText(data: EndResult): string {
  return partsText(endResultParts(data));
}

/** One line for the event list, in parts: a message's title and body, an update's changed fields, an alert's message, an end's result. */
export function summaryParts(event: HeraldEvent): TextPart[] {
  switch (event.type) {
    case 'notify': {
      const said = [event.data.title ?? '', event.data.body].filter((part) => part !== '');
      return said.length === 2 ? [user(said[0]!), ': ', user(said[1]!)] : said.map(user);
    }
    case 'update':
      return statusParts(event.data.status, event.data.changed);
    case 'alert':
      return event.data.previous ? [user(event.data.message), ` (was ${event.data.previous})`] : [user(event.data.message)];
    case 'end':
      return endResultParts(event.data);
    case 'gap':
      return [user(event.data.message)];
  }
}

/** summaryParts as one line of text. */
export function summaryOf(event: HeraldEvent): string {
  return partsText(summaryParts(event));
}

const MAX_TITLE = 120;
const MAX_BODY = 300;


const ALERT_WORD: Record<Level, string> = { critical: 'Critical', warn: 'Warning', ok: 'Recovered' };

/**
 * The emoji of a message's tags that are emoji short codes, as a notification says them:
 * before the title, or before the body when it has no title (as ntfy's apps show them;
 * the window shows them from the tags itself).
 */
function emojiPrefix(tags: readonly string[]): string {
  return splitTags(tags).emoji.join(' ');
}

const withEmoji = (emoji: string, text: string): string => (emoji === '' ? text : text === '' ? emoji : `${emoji} ${text}`);

/** A notification's title. `field` names the status field a settings rule watched (updates only). */
export function titleOf(event: HeraldEvent, field = ''): string {
  const { topic } = event.data;
  switch (event.type) {
    case 'notify':
      return clip(event.data.title ? withEmoji(emojiPrefix(event.data.tags), event.data.title) : topic, MAX_TITLE);
    case 'alert':
      return `${ALERT_WORD[event.data.level]}: ${topic}`;
    case 'end':
      return `${topic} ${event.data.state}`;
    case 'gap':
      return `Missed events on ${topic}`;
    case 'update': {
      const value = field ? event.data.status[field] : undefined;
      return clip(field && value !== undefined ? `${topic}: ${field} is ${formatValue(value)}` : `${topic} changed`, MAX_TITLE);
    }
  }
}

/** A notification's body: a message's body, an alert's or gap's message, an end's summary with exit code and duration, a status. */
export function bodyOf(event: HeraldEvent): string {
  switch (event.type) {
    case 'notify':
      return clip(event.data.title ? event.data.body : withEmoji(emojiPrefix(event.data.tags), event.data.body), MAX_BODY);
    case 'alert':
    case 'gap':
      return clip(event.data.message, MAX_BODY);
    case 'end': {
      const { summary, exitCode, durationMs } = event.data;
      const facts = [...(exitCode === null ? [] : [`exit ${exitCode}`]), formatDuration(durationMs)].join(', ');
      return clip(summary ? `${summary} (${facts})` : facts, MAX_BODY);
    }
    case 'update':
      return clip(statusText(event.data.status), MAX_BODY);
  }
}

/** Topic, summary, every status field and the tags, lower-cased once so filtering is a substring test. */
export function searchTextOf(event: HeraldEvent): string {
  const parts: string[] = [event.data.topic, summaryOf(event)];
  if (event.type === 'update') parts.push(statusText(event.data.status));
  if (event.type === 'notify') parts.push(event.data.tags.join(' '));
  return parts.join('\n').toLowerCase();
}

/** A link an event offers: its click URL, or one of its `view` actions (ntfy's action buttons). */
export interface EventLink {
  label: string;
  url: string;
}

function isHttpUrl(url: string): boolean {
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
}

/**
 * The links to show as buttons beside an event: its click URL ("Open link") and its
 * `view` actions by their labels, http(s) only. `http` actions (a request the
 * desktop would send) are not links and are left out.
 */
export function linksOf(event: HeraldEvent): EventLink[] {
  const links: EventLink[] = [];
  if ((event.type === 'notify' || event.type === 'alert') && event.data.click && isHttpUrl(event.data.click)) {
    links.push({ label: 'Open link', url: event.data.click });
  }
  if (event.type === 'notify') {
    for (const action of event.data.actions ?? []) {
      if (action.action === 'view' && isHttpUrl(action.url)) links.push({ label: action.label, url: action.url });
    }
  }
  return links;
}

/** Everything at once; `field` and `rulePriority` come from the settings rule that made an update notify. */
export function describeEvent(event: HeraldEvent, rule: { field?: string; priority?: number } = {}): EventDescription {
  return {
    level: levelOf(event),
    urgency: urgencyOf(event, rule.priority),
    title: titleOf(event, rule.field),
    body: bodyOf(event),
    summary: summaryOf(event),
  };
}
