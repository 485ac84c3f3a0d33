// An event's JSON for the details pane, laid out as JSON.stringify(value, null, 2)
// lays it out, with every string (keys too) in its own bidi isolate, so a title's
// right-to-left text or bidi controls cannot reorder the quotes, commas and lines
// around it. Characters JSON.stringify leaves raw but that act on layout or are
// invisible (C1 controls, U+2028/U+2029, every bidi control) are written as \u
// escapes: the pane's text is still JSON that parses back to the same value.

import { visibleEscape } from '../../main/core/text/safe-text.ts';

const RAW_BUT_ACTIVE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function jsonNodes(value: unknown): Node[] {
  const nodes: Node[] = [];
  let text = '';
  const string = (s: string): void => {
    const isolate = document.createElement('bdi');
    isolate.textContent = JSON.stringify(s).slice(1, -1).replace(RAW_BUT_ACTIVE, visibleEscape);
    nodes.push(document.createTextNode(`${text}"`), isolate);
    text = '"';
  };
  const write = (item: unknown, indent: string): void => {
    if (typeof item === 'string') return string(item);
    if (item === null || typeof item !== 'object') {
      text += JSON.stringify(item) ?? 'null';
      return;
    }
    const inner = `${indent}  `;
    if (Array.isArray(item)) {
      if (item.length === 0) return void (text += '[]');
      text += '[';
      item.forEach((element, index) => {
        text += `${index > 0 ? ',' : ''}\n${inner}`;
        write(element === undefined ? null : element, inner);
      });
      text += `\n${indent}]`;
      return;
    }
    const entries = Object.entries(item).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) return void (text += '{}');
    text += '{';
    entries.forEach(([key, element], index) => {
      text += `${index > 0 ? ',' : ''}\n${inner}`;
      string(key);
      text += ': ';
      write(element, inner);
    });
    text += `\n${indent}}`;
  };
  write(value, '');
  if (text !== '') nodes.push(document.createTextNode(text));
  return nodes;
}
