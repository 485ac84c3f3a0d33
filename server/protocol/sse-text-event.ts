// One event of a plain Server-Sent Events stream (any `text/event-stream` endpoint,
// not Herald's) as a Herald `notify`, so the desktop core can follow it like a
// server. Without templates the event's data is the body and its type the title (the
// topic's name for the default type `message`). With templates, each field is a
// template (json-template.ts, the language of the generic webhooks) over
// `{"event": <type>, "id": <id>, "data": <the data as JSON, or its text>}`:
//
//   {"title": "{{ data.service }} is {{ data.state }}", "body": "{{ data.detail }}",
//    "priority": "{{ data.severity }}", "tags": "{{ data.kind }}", "click": "{{ data.url }}"}
//
// A field that renders empty, or whose template found none of its values, takes the
// default; a priority or click that is not one is left out with a note. Free of Node and DOM APIs; parse through
// event-vocabulary.ts, which re-exports it.

import { describeValue } from './errors.ts';
import { checkEventData, MAX_TAG_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH } from './event-validation.ts';
import type { HeraldEvent, NotifyData } from './events.ts';
import { parseTemplate, renderTemplate, type JsonTemplate } from './json-template.ts';
import { parsePriority } from './priority.ts';
import { clip } from './text-parts.ts';

/** The fields a plain SSE stream's events may be mapped with, each a template. */
export interface SseTemplates {
  title?: string;
  body?: string;
  priority?: string;
  tags?: string;
  click?: string;
}

export const SSE_TEMPLATE_FIELDS = ['title', 'body', 'priority', 'tags', 'click'] as const;

/** The longest body kept of one event's data (the rest is cut, with a note). */
export const MAX_SSE_BODY = 16 * 1024;

export type CompiledSseTemplates = { readonly [K in keyof SseTemplates]?: JsonTemplate };

/** Why `templates` cannot map events, each as `field: problem`; empty when they can. */
export function sseTemplateProblems(templates: unknown): string[] {
  if (typeof templates !== 'object' || templates === null || Array.isArray(templates)) {
    return [`expected an object of templates (${SSE_TEMPLATE_FIELDS.join(', ')}), got ${describeValue(templates)}`];
  }
  const problems: string[] = [];
  for (const [field, source] of Object.entries(templates)) {
    if (!(SSE_TEMPLATE_FIELDS as readonly string[]).includes(field)) {
      problems.push(`${field}: expected one of ${SSE_TEMPLATE_FIELDS.join(', ')}`);
      continue;
    }
    try {
      parseTemplate(source);
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      continue;
    }
    if (field === 'priority' && !(source as string).includes('{{')) {
      try {
        parsePriority(source);
      } catch (error) {
        problems.push(`${field}: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

/** Templates that passed sseTemplateProblems, parsed once. */
export function compileSseTemplates(templates: SseTemplates): CompiledSseTemplates {
  const out: { [K in keyof SseTemplates]?: JsonTemplate } = {};
  for (const field of SSE_TEMPLATE_FIELDS) {
    const source = templates[field];
    if (source !== undefined) out[field] = parseTemplate(source);
  }
  return out;
}

export interface SseTextInput {
  /** The SSE `event` field (`message` when the server named none). */
  type: string;
  /** The event's id: the SSE `id` when the server sent one, else one the client made. */
  id: string;
  data: string;
  /** The topic the events are recorded under. */
  topic: string;
  /** Epoch ms, when it arrived. */
  time: number;
  templates?: CompiledSseTemplates;
}

export type SseTextEvent = { ok: true; event: HeraldEvent<'notify'>; notes: string[] } | { ok: false; problem: string };

export function sseTextEvent(input: SseTextInput): SseTextEvent {
  const { type, id, topic, time, templates } = input;
  const notes: string[] = [];
  const defaultTitle = type === 'message' || type === '' ? topic : type;
  let text = input.data;
  if (text.length > MAX_SSE_BODY) {
    notes.push(`event ${id}: its data of ${text.length} characters was cut to ${MAX_SSE_BODY}`);
    text = clip(text, MAX_SSE_BODY);
  }
  let data: NotifyData = { topic, time, title: clip(defaultTitle, MAX_TITLE_LENGTH), body: text, priority: 3, tags: [] };
  if (templates && Object.keys(templates).length > 0) data = mapped(data, input, notes);
  try {
    return { ok: true, event: { id, type: 'notify', data: checkEventData('notify', data) }, notes };
  } catch (error) {
    return { ok: false, problem: `event ${id} (${type}) cannot be shown: ${(error as Error).message}` };
  }
}

function mapped(data: NotifyData, input: SseTextInput, notes: string[]): NotifyData {
  const templates = input.templates!;
  let payload: unknown = input.data;
  try {
    payload = JSON.parse(input.data);
  } catch {
    // Not JSON: the templates see the text as `data`.
  }
  const document = { event: input.type, id: input.id, data: payload };
  /** The rendered field, or '' when it has no template or its template found none of its values. */
  const render = (field: keyof SseTemplates, trim = true): string => {
    const template = templates[field];
    if (template === undefined) return '';
    const { text, missing } = renderTemplate(template, document);
    const placeholders = template.parts.filter((part) => part.kind === 'value').length;
    if (placeholders > 0 && missing.length === placeholders) return '';
    return trim ? text.trim() : text;
  };
  const out: NotifyData = { ...data };
  const title = render('title');
  if (title) out.title = clip(title, MAX_TITLE_LENGTH);
  const body = render('body', false);
  if (body.trim() !== '') out.body = clip(body, MAX_SSE_BODY);
  const priority = render('priority');
  try {
    out.priority = parsePriority(priority);
  } catch (error) {
    notes.push(`event ${input.id}: priority left at 3: ${(error as Error).message}`);
  }
  out.tags = render('tags')
    .split(',')
    .map((tag) => clip(tag.trim(), MAX_TAG_LENGTH))
    .filter((tag) => tag !== '')
    .slice(0, MAX_TAGS);
  const click = render('click');
  if (click !== '') {
    if (URL.canParse(click) && /^https?:$/.test(new URL(click).protocol)) out.click = click;
    else notes.push(`event ${input.id}: click left out: expected an http(s) URL, got ${describeValue(click.slice(0, 80))}`);
  }
  return out;
}
