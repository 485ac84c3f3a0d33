// Templates over a JSON document, for the fields of a generic webhook
// (docs/integrations.md, "Generic webhooks"): literal text with `{{ path }}`
// placeholders, where a path is either dotted (`alerts.0.labels.alertname`) or a
// JSON Pointer (`/alerts/0/labels/alertname`, RFC 6901, for keys holding dots or
// spaces). Nothing is evaluated: a placeholder only looks a value up. A value that
// is missing or null renders empty; numbers and booleans as written in JSON;
// objects and arrays as compact JSON. Only a document's own keys are read, so
// `__proto__` or `constructor` find nothing the sender did not send.
// Free of Node APIs: the desktop side may map SSE payloads with the same language.

import { describeValue } from './errors.ts';

/** The longest template accepted (a config file's field, not a payload). */
export const MAX_TEMPLATE_LENGTH = 4096;

type Part = { kind: 'text'; text: string } | { kind: 'value'; path: string; segments: string[] };

export interface JsonTemplate {
  readonly source: string;
  readonly parts: readonly Part[];
}

export interface Rendered {
  text: string;
  /** The placeholders (as written) that found no value, in order. */
  missing: string[];
}

/** Why `source` is not a template, or null when it is. */
export function templateProblem(source: unknown): string | null {
  try {
    parseTemplate(source);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Parse a template; throws an Error whose message says what was expected, and where. */
export function parseTemplate(source: unknown): JsonTemplate {
  if (typeof source !== 'string') throw new Error(`expected a template string, got ${describeValue(source)}`);
  if (source.length > MAX_TEMPLATE_LENGTH) {
    throw new Error(`expected a template of at most ${MAX_TEMPLATE_LENGTH} characters, got ${source.length}`);
  }
  const parts: Part[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      parts.push({ kind: 'text', text: source.slice(at) });
      break;
    }
    if (open > at) parts.push({ kind: 'text', text: source.slice(at, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new Error(`expected "}}" to close the "{{" at character ${open + 1}, got the end of the template`);
    const inner = source.slice(open + 2, close);
    if (inner.includes('{{')) throw new Error(`expected "}}" before another "{{" (placeholders do not nest), at character ${open + 1}`);
    const path = inner.trim();
    parts.push({ kind: 'value', path, segments: pathSegments(path, open + 1) });
    at = close + 2;
  }
  return { source, parts };
}

function pathSegments(path: string, where: number): string[] {
  if (path === '') throw new Error(`expected a path such as {{ title }} or {{ /a/b }} in the placeholder at character ${where}, got an empty one`);
  if (path.startsWith('/')) {
    const segments = path.slice(1).split('/');
    for (const segment of segments) {
      if (/~(?![01])/.test(segment)) {
        throw new Error(`expected a JSON Pointer with "~" only as "~0" or "~1" (RFC 6901), got ${JSON.stringify(path)} at character ${where}`);
      }
    }
    return segments.map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  }
  if (/\s/.test(path)) {
    throw new Error(`expected a dotted path without spaces (use a JSON Pointer such as {{ /a b/c }} for such keys), got ${JSON.stringify(path)} at character ${where}`);
  }
  const segments = path.split('.');
  if (segments.some((s) => s === '')) {
    throw new Error(`expected a dotted path of non-empty names such as {{ repository.name }}, got ${JSON.stringify(path)} at character ${where}`);
  }
  return segments;
}

/** The value at `segments` in `data`, or undefined; only own keys and whole array indices. */
export function valueAt(data: unknown, segments: readonly string[]): unknown {
  let here: unknown = data;
  for (const segment of segments) {
    if (Array.isArray(here)) {
      if (!/^(0|[1-9][0-9]{0,9})$/.test(segment)) return undefined;
      here = here[Number(segment)];
    } else if (typeof here === 'object' && here !== null && Object.hasOwn(here, segment)) {
      here = (here as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return here;
}

function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  // Numbers and booleans as JSON writes them; objects and arrays as compact JSON; a
  // value JSON cannot hold (a function, in data that was not parsed) as nothing.
  return JSON.stringify(value) ?? '';
}

/**
 * What a value may contribute to a topic: one segment of `[A-Za-z0-9_.-]`, each run
 * of other characters (a "/" included, so a payload cannot pick the topic's depth)
 * becoming one "-", at most 64 characters.
 */
export function topicSegment(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 64);
  return /^\.+$/.test(safe) ? safe.replace(/\./g, '-') : safe;
}

/** Render `template` over `data`; with `topic`, every looked-up value is made topic-safe. */
export function renderTemplate(template: JsonTemplate, data: unknown, options: { topic?: boolean } = {}): Rendered {
  let text = '';
  const missing: string[] = [];
  for (const part of template.parts) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const value = valueAt(data, part.segments);
    if (value === undefined || value === null) missing.push(part.path);
    const shown = valueText(value);
    text += options.topic ? topicSegment(shown) : shown;
  }
  return { text, missing };
}
