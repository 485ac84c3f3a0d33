// Text as parts: Herald's own words as plain strings, text that a publisher (or a
// server) wrote as { user }. The event vocabulary says a summary this way
// (summaryParts, event-vocabulary.ts); the window puts each user part in its own bidi
// isolate (renderer/view/user-text.ts), so right-to-left text or a bidi control in a
// title cannot reorder the body, the next field or Herald's words after it.

import { cutWithin } from './graphemes.ts';

export type TextPart = string | { readonly user: string };

export function user(text: string): TextPart {
  return { user: text };
}

/** The parts as one string (search, export, notifications, tests). */
export function partsText(parts: readonly TextPart[]): string {
  let text = '';
  for (const part of parts) text += typeof part === 'string' ? part : part.user;
  return text;
}

/** `text`, cut to `max` UTF-16 units with an ellipsis, between user-perceived characters (graphemes.ts). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${cutWithin(text, max - 1)}…` : text;
}
