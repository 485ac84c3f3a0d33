// A generic webhook's fields rendered over the JSON it received, as one event: an
// `alert` when the hook has a `level`, else a `notify`. Whatever the payload holds,
// the result is a valid event or a 400 that says which field and why.

import { HeraldError } from '../../protocol/errors.ts';
import { isLevel, LEVELS, type AlertData, type Level, type NewEvent, type NotifyData } from '../../protocol/events.ts';
import { renderTemplate, type JsonTemplate } from '../../protocol/json-template.ts';
import { topicProblem } from '../../protocol/topics.ts';
import { MAX_TAG_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH, validateNewEvent } from '../../protocol/event-validation.ts';
import { parsePriority } from '../../http/publish-request.ts';
import type { CompiledHook, Mapped } from './hook-config.ts';

function fail(hook: CompiledHook, message: string): never {
  throw new HeraldError('bad_request', `webhook "${hook.name}": ${message}`);
}

function render(template: JsonTemplate | null, payload: unknown): string {
  return template === null ? '' : renderTemplate(template, payload).text;
}

/** The mapped value of a field: its rendered text looked up in `map`, else `default`, else the text itself. */
function mappedValue(mapped: Mapped, payload: unknown): string | number | undefined {
  const text = renderTemplate(mapped.template, payload).text.trim();
  const found = mapped.map?.get(text);
  if (found !== undefined) return found;
  if (mapped.fallback !== undefined && (mapped.map !== null || text === '')) return mapped.fallback;
  return text === '' ? undefined : text;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function renderTopic(hook: CompiledHook, payload: unknown): string {
  const { text, missing } = renderTemplate(hook.topic, payload, { topic: true });
  if (missing.length > 0) fail(hook, `expected the body to have ${missing.map((m) => `"${m}"`).join(', ')} for the topic template ${JSON.stringify(hook.topic.source)}, got none`);
  const problem = topicProblem(text);
  if (problem) fail(hook, `the topic template ${JSON.stringify(hook.topic.source)} made ${JSON.stringify(text.slice(0, 80))}: ${problem}`);
  return text;
}

function levelOf(hook: CompiledHook, mapped: Mapped, payload: unknown): Level {
  const value = mappedValue(mapped, payload);
  if (isLevel(value)) return value;
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  return fail(hook, `expected the level to be one of ${LEVELS.join(', ')}, got ${shown} from ${JSON.stringify(mapped.template.source)}; map the values with {"from": ..., "map": {...}, "default": ...}`);
}

function clickOf(hook: CompiledHook, payload: unknown): string | undefined {
  const click = render(hook.click, payload).trim();
  return click === '' ? undefined : click;
}

/** The event a request makes. Throws 400 (bad_request) naming what the body lacked. */
export function hookEvent(hook: CompiledHook, payload: unknown, now: number): NewEvent<'alert'> | NewEvent<'notify'> {
  const topic = renderTopic(hook, payload);
  const title = clip(render(hook.title, payload).trim(), MAX_TITLE_LENGTH);
  const body = render(hook.body, payload);
  const click = clickOf(hook, payload);
  let event: NewEvent<'alert'> | NewEvent<'notify'>;
  if (hook.level !== null) {
    const level = levelOf(hook, hook.level, payload);
    const message = title && body.trim() ? `${title}: ${body}` : title || body || `${topic} is ${level}`;
    const data: AlertData = { topic, time: now, level, message };
    if (click !== undefined) data.click = click;
    event = { type: 'alert', data };
  } else {
    if (title === '' && body.trim() === '') fail(hook, 'expected the title or body template to give some text, got both empty for this body');
    let priority: number;
    try {
      priority = parsePriority(hook.priority === null ? undefined : mappedValue(hook.priority, payload));
    } catch (error) {
      return fail(hook, (error as Error).message);
    }
    const tags = render(hook.tags, payload)
      .split(',')
      .map((t) => clip(t.trim(), MAX_TAG_LENGTH))
      .filter((t) => t !== '')
      .slice(0, MAX_TAGS);
    const data: NotifyData = { topic, time: now, body, priority, tags };
    if (title !== '') data.title = title;
    if (click !== undefined) data.click = click;
    event = { type: 'notify', data };
  }
  try {
    return validateNewEvent(event) as typeof event;
  } catch (error) {
    return fail(hook, (error as Error).message);
  }
}
