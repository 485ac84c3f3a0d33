// Labelled inputs whose problems are shown inline: each field registers the settings
// path it edits (`servers[0].url`), and a validation result is spread over the
// fields by path, each message next to its input (aria-invalid + aria-describedby,
// WCAG 2.2 SC 3.3.1 "Error Identification").

import type { SettingsProblem } from '../../main/app/ipc/bridge.ts';
import { el, setAttr, uniqueId } from './element.ts';

interface RegisteredField {
  path: string;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
}

export class FieldRegistry {
  #fields: RegisteredField[] = [];

  clear(): void {
    this.#fields = [];
  }

  /** A label, an input and its error line, registered under `path`. */
  field(label: string, input: HTMLInputElement | HTMLSelectElement, path: string, hint?: string): HTMLElement {
    input.id ||= uniqueId('field');
    const error = el('span', { class: 'field-error', attrs: { id: uniqueId('error') } });
    const hintNode = hint ? el('span', { class: 'field-hint', text: hint, attrs: { id: uniqueId('hint') } }) : null;
    setAttr(input, 'aria-describedby', [hintNode?.id, error.id].filter(Boolean).join(' '));
    this.#fields.push({ path, input, error });
    const isCheck = input instanceof HTMLInputElement && input.type === 'checkbox';
    const labelNode = el('label', { text: label, attrs: { for: input.id } });
    return el('div', { class: isCheck ? 'form-field form-check' : 'form-field', attrs: { 'data-path': path } }, isCheck ? [input, labelNode, hintNode, error] : [labelNode, input, hintNode, error]);
  }

  /** Show each problem at the field whose path is its longest prefix; returns the ones no field took. */
  show(problems: readonly SettingsProblem[]): SettingsProblem[] {
    const messages = new Map<RegisteredField, string[]>();
    const unplaced: SettingsProblem[] = [];
    for (const problem of problems) {
      const owner = this.#owner(problem.path);
      if (!owner) {
        unplaced.push(problem);
        continue;
      }
      const list = messages.get(owner) ?? [];
      // The path is already shown by the field's position; keep "expected..., got ...".
      list.push(problem.message.startsWith(`${problem.path}: `) ? problem.message.slice(problem.path.length + 2) : problem.message);
      messages.set(owner, list);
    }
    for (const field of this.#fields) {
      const list = messages.get(field);
      field.error.textContent = list ? list.join('; ') : '';
      setAttr(field.input, 'aria-invalid', list !== undefined);
    }
    return unplaced;
  }

  /** Focus the first field with a problem. */
  focusFirstInvalid(): void {
    this.#fields.find((f) => f.input.getAttribute('aria-invalid') === 'true')?.input.focus();
  }

  #owner(path: string): RegisteredField | undefined {
    let best: RegisteredField | undefined;
    for (const field of this.#fields) {
      const matches = path === field.path || path.startsWith(`${field.path}[`) || path.startsWith(`${field.path}.`);
      if (matches && (!best || field.path.length > best.path.length)) best = field;
    }
    return best;
  }
}

export function textInput(value: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  const input = el('input', { attrs: { type: 'text', autocomplete: 'off', spellcheck: false, ...attrs } });
  input.value = value;
  return input;
}

export function checkbox(checked: boolean, disabled = false): HTMLInputElement {
  const input = el('input', { attrs: { type: 'checkbox', disabled } });
  input.checked = checked;
  return input;
}
