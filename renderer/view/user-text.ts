// Publisher text in the page, each piece in its own bidi isolate: a <bdi> element
// (direction from its own first strong character, unicode-bidi: isolate), so an RLO
// or right-to-left text in a title cannot reorder the body or the fields after it.
// Inside, bidi controls that are not paired within the piece are shown as escapes
// (main/core/text/safe-text.ts): an unmatched PDI would otherwise close the isolate
// the browser opens for the element, and what follows would be reordered after all.

import { neutraliseBidi } from '../../main/core/text/safe-text.ts';
import type { TextPart } from '../../server/protocol/text-parts.ts';

/** One piece of publisher text as an isolated element. */
export function userText(text: string, className?: string): HTMLElement {
  const node = document.createElement('bdi');
  if (className) node.className = className;
  node.textContent = neutraliseBidi(text);
  return node;
}

const shown = new WeakMap<Node, string>();

function signature(parts: readonly TextPart[]): string {
  let text = '';
  for (const part of parts) text += typeof part === 'string' ? `s${part.length}:${part}` : `u${part.user.length}:${part.user}`;
  return text;
}

/** Show `parts` in `node`: Herald's words as text, publisher text isolated. Rewrites only on change (rows are refilled as they scroll). */
export function setParts(node: HTMLElement, parts: readonly TextPart[]): void {
  const key = signature(parts);
  if (shown.get(node) === key) return;
  shown.set(node, key);
  node.replaceChildren(...parts.map((part) => (typeof part === 'string' ? part : userText(part.user))));
}
