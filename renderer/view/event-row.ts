// One row of the list: time, level (icon AND word, never colour alone), type, topic
// and the one-line summary, its publisher text isolated (user-text.ts). Rows are
// reused as the list scrolls, so `fillRow` only rewrites what changed.

import { summaryParts } from '../../server/protocol/event-vocabulary.ts';
import { LEVEL_ICON, LEVEL_WORD } from './level-look.ts';
import type { StoredEvent } from '../model/event-store.ts';
import { el, setText } from './element.ts';
import { setParts } from './user-text.ts';

export interface RowElement {
  root: HTMLDivElement;
  time: HTMLTimeElement;
  icon: HTMLSpanElement;
  word: HTMLSpanElement;
  type: HTMLSpanElement;
  topic: HTMLSpanElement;
  summary: HTMLSpanElement;
  /** The event shown, or null for a row not in use. */
  stored: StoredEvent | null;
}

export function createRow(): RowElement {
  const time = el('time', { class: 'row-time' });
  const icon = el('span', { class: 'level-icon', attrs: { 'aria-hidden': 'true' } });
  const word = el('span', { class: 'level-word' });
  const type = el('span', { class: 'row-type' });
  const topic = el('span', { class: 'row-topic' });
  const summary = el('span', { class: 'row-summary' });
  const badge = el('span', { class: 'level-badge' }, [icon, word]);
  const root = el('div', { class: 'event-row', attrs: { role: 'option', 'aria-selected': 'false' } }, [
    el('span', { class: 'row-head' }, [time, badge, type, topic]),
    summary,
  ]);
  return { root, time, icon, word, type, topic, summary, stored: null };
}

// Intl formatters are costly to create (toLocaleTimeString makes one per call, which
// showed as the top cost of a live list in a profile): make them once.
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

export function formatTime(time: number, now: number): string {
  const clock = CLOCK.format(time);
  return startOfDay(time) === startOfDay(now) ? clock : `${DAY.format(time)} ${clock}`;
}

export function fillRow(row: RowElement, stored: StoredEvent, now: number): void {
  if (row.stored === stored) return;
  row.stored = stored;
  const { event } = stored;
  row.root.dataset['key'] = `${stored.server}/${event.id}`;
  row.root.dataset['level'] = stored.level;
  row.root.dataset['type'] = event.type;
  row.root.className = `event-row level-${stored.level}`;
  setText(row.time, formatTime(event.data.time, now));
  row.time.dateTime = new Date(event.data.time).toISOString();
  setText(row.icon, LEVEL_ICON[stored.level]);
  setText(row.word, LEVEL_WORD[stored.level]);
  setText(row.type, event.type);
  setText(row.topic, event.data.topic);
  setParts(row.summary, summaryParts(event));
}
