// ntfy's action buttons (ntfy docs, "Action buttons"), as the `X-Actions` header's
// short form or a JSON array, turned into Herald's notify actions. The short form is
// parsed as ntfy's server/actions.go `parseActionsFromSimple` does:
//
//   view, Open portal, https://home.nest.com/, clear=true; http, Turn down, https://api.nest.com/, body='{"temperature": 65}'
//
// Actions are separated by `;`, their sections by `,`; a section is `key=value` or a
// bare value, and bare values fill action, label and (view and http) url in order.
// A value may be quoted with " or ' (a quote inside escaped with \). `headers.X=v`
// sets a header of an http action. Android `broadcast` actions are accepted and left
// out: a desktop has nothing to send them to.

import { HeraldError, describeValue } from '../../protocol/errors.ts';
import type { NotifyAction } from '../../protocol/events.ts';
import { MAX_ACTIONS, isPlainObject } from '../../protocol/event-validation.ts';

/** One action as ntfy describes it (its `action` struct), before Herald's checks. */
interface NtfyAction {
  action: string;
  label: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  clear: boolean;
  intent: string;
  extras: Record<string, string>;
}

function invalid(message: string): HeraldError {
  return new HeraldError('bad_request', `expected ntfy actions (ntfy docs, "Action buttons"): ${message}`);
}

function blank(): NtfyAction {
  return { action: '', label: '', url: '', method: '', headers: {}, body: '', clear: false, intent: '', extras: {} };
}

/** The `X-Actions` value (short form or a JSON array) as Herald actions. */
export function parseActions(text: string): NotifyAction[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw invalid(`the JSON array does not parse (${(error as Error).message})`);
    }
    return actionsFromJson(parsed);
  }
  return toHerald(new ShortFormParser(trimmed).parse());
}

/** The `actions` of a JSON publish (or a parsed `X-Actions` array) as Herald actions. */
export function actionsFromJson(value: unknown): NotifyAction[] {
  if (!Array.isArray(value)) throw invalid(`"actions" must be an array, got ${describeValue(value)}`);
  return toHerald(value.map((item, index) => fromJsonObject(item, index)));
}

const STRING_FIELDS = ['action', 'label', 'url', 'method', 'body', 'intent'] as const;

function fromJsonObject(item: unknown, index: number): NtfyAction {
  if (!isPlainObject(item)) throw invalid(`action ${index + 1} must be an object, got ${describeValue(item)}`);
  const action = blank();
  for (const field of STRING_FIELDS) {
    const value = item[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw invalid(`"${field}" of action ${index + 1} must be a string, got ${describeValue(value)}`);
    action[field] = value;
  }
  if (item.clear !== undefined && item.clear !== null) {
    if (typeof item.clear !== 'boolean') throw invalid(`"clear" of action ${index + 1} must be true or false, got ${describeValue(item.clear)}`);
    action.clear = item.clear;
  }
  for (const field of ['headers', 'extras'] as const) {
    const value = item[field];
    if (value === undefined || value === null) continue;
    if (!isPlainObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
      throw invalid(`"${field}" of action ${index + 1} must be an object of strings, got ${describeValue(value)}`);
    }
    action[field] = { ...(value as Record<string, string>) };
  }
  return action;
}

/** ntfy's checks (server/actions.go `parseActions`), then Herald's shape; broadcast actions dropped. */
function toHerald(actions: NtfyAction[]): NotifyAction[] {
  if (actions.length > MAX_ACTIONS) throw invalid(`at most ${MAX_ACTIONS} actions, got ${actions.length}`);
  const out: NotifyAction[] = [];
  for (const [index, raw] of actions.entries()) {
    const kind = raw.action.toLowerCase();
    const method = raw.method.toUpperCase();
    const which = `action ${index + 1}`;
    if (kind !== 'view' && kind !== 'http' && kind !== 'broadcast') {
      throw invalid(`${which} must be view, broadcast or http, got ${describeValue(raw.action)}`);
    }
    if (raw.label === '') throw invalid(`${which} needs a label`);
    if (kind !== 'broadcast' && raw.url === '') throw invalid(`${which} (${kind}) needs a url`);
    if (kind === 'http' && (method === 'GET' || method === 'HEAD') && raw.body !== '') {
      throw invalid(`${which} may not have a body with method ${method}`);
    }
    const clear = raw.clear ? { clear: true } : {};
    if (kind === 'view') out.push({ action: 'view', label: raw.label, url: raw.url, ...clear });
    if (kind === 'http') {
      out.push({
        action: 'http',
        label: raw.label,
        url: raw.url,
        ...(method === '' ? {} : { method }),
        ...(Object.keys(raw.headers).length === 0 ? {} : { headers: raw.headers }),
        ...(raw.body === '' ? {} : { body: raw.body }),
        ...clear,
      });
    }
  }
  return out;
}

const KEY = /^([-.\w]+)[ \t\n\f\r]*=[ \t\n\f\r]*/;
const CLEAR_VALUES = ['true', 'yes', '1', 'false', 'no', '0'];

/** ntfy's short-form lexer, position by position (server/actions.go `actionParser`). */
class ShortFormParser {
  readonly #input: string;
  #pos = 0;

  constructor(input: string) {
    this.#input = input;
  }

  parse(): NtfyAction[] {
    const actions: NtfyAction[] = [];
    while (!this.#eof()) actions.push(this.#action());
    return actions;
  }

  #action(): NtfyAction {
    const action = blank();
    for (let section = 0; ; section++) {
      const { key, value, last } = this.#section();
      populate(action, section, key, value);
      this.#skipSpaces();
      if (last) return action;
    }
  }

  #section(): { key: string; value: string; last: boolean } {
    this.#skipSpaces();
    const key = this.#key();
    const char = this.#peek();
    if (isSectionEnd(char)) {
      this.#pos += char.length;
      return { key, value: '', last: isLastSection(char) };
    }
    if (char === '"' || char === "'") return { key, ...this.#quoted(char) };
    return { key, ...this.#value() };
  }

  #key(): string {
    const match = KEY.exec(this.#input.slice(this.#pos));
    if (match === null) return '';
    this.#pos += match[0].length;
    return match[1]!;
  }

  #value(): { value: string; last: boolean } {
    const start = this.#pos;
    for (;;) {
      const char = this.#peek();
      if (isSectionEnd(char)) {
        const value = this.#input.slice(start, this.#pos).trim();
        this.#pos += char.length;
        return { value, last: isLastSection(char) };
      }
      this.#pos += char.length;
    }
  }

  #quoted(quote: string): { value: string; last: boolean } {
    this.#pos++;
    const start = this.#pos;
    let previous = '';
    for (;;) {
      const char = this.#peek();
      if (char === '') throw invalid(`a quote opened at position ${start} is never closed`);
      if (char === quote && previous !== '\\') {
        const value = this.#input.slice(start, this.#pos).replaceAll(`\\${quote}`, quote);
        this.#pos++;
        this.#skipSpaces();
        const next = this.#peek();
        if (!isSectionEnd(next)) throw invalid(`unexpected ${JSON.stringify(next)} at position ${this.#pos} after a quoted value`);
        this.#pos += next.length;
        return { value, last: isLastSection(next) };
      }
      previous = char;
      this.#pos += char.length;
    }
  }

  #skipSpaces(): void {
    while (/^[ \t\r\n]$/.test(this.#peek())) this.#pos++;
  }

  /** The character at the position (a whole code point), or '' at the end. */
  #peek(): string {
    const code = this.#input.codePointAt(this.#pos);
    return code === undefined ? '' : String.fromCodePoint(code);
  }

  #eof(): boolean {
    return this.#pos >= this.#input.length;
  }
}

function isSectionEnd(char: string): boolean {
  return char === '' || char === ';' || char === ',';
}

function isLastSection(char: string): boolean {
  return char === '' || char === ';';
}

/** ntfy's `populateAction`: bare values by position, then named keys. */
function populate(action: NtfyAction, section: number, key: string, value: string): void {
  let name = key;
  if (name === '' && section === 0) name = 'action';
  else if (name === '' && section === 1) name = 'label';
  else if (name === '' && section === 2 && ['view', 'http'].includes(action.action.toLowerCase())) name = 'url';
  if (name === '') throw invalid(`the term ${JSON.stringify(value.slice(0, 40))} is not key=value and not in a place a bare value fills`);
  if (name.startsWith('headers.')) {
    action.headers[name.slice('headers.'.length)] = value;
    return;
  }
  if (name.startsWith('extras.')) {
    action.extras[name.slice('extras.'.length)] = value;
    return;
  }
  switch (name.toLowerCase()) {
    case 'action':
    case 'label':
    case 'url':
    case 'method':
    case 'body':
    case 'intent':
      action[name.toLowerCase() as 'action' | 'label' | 'url' | 'method' | 'body' | 'intent'] = value;
      return;
    case 'clear':
      if (!CLEAR_VALUES.includes(value.toLowerCase())) throw invalid(`clear must be true, yes, 1, false, no or 0, got ${JSON.stringify(value.slice(0, 20))}`);
      action.clear = ['true', 'yes', '1'].includes(value.toLowerCase());
      return;
    default:
      throw invalid(`unknown key ${JSON.stringify(name.slice(0, 40))}; expected action, label, url, method, headers.<name>, body, clear, intent or extras.<name>`);
  }
}
