// How a level looks in the window: a word and an icon beside the colour, never colour
// alone (WCAG 2.2 SC 1.4.1 "Use of Color"). Which level an event has is the event
// vocabulary's answer (server/protocol/event-vocabulary.ts).

import type { EventLevel } from '../../server/protocol/event-vocabulary.ts';

export const LEVEL_WORD: Record<EventLevel, string> = {
  info: 'Info',
  ok: 'OK',
  warn: 'Warning',
  critical: 'Critical',
};

/** Icons differ in shape, not only in colour, so they read in greyscale and forced colours. */
export const LEVEL_ICON: Record<EventLevel, string> = {
  info: 'ℹ',
  ok: '✓',
  warn: '▲',
  critical: '✖',
};
