// One row of the list: time, level (icon AND word, never colour alone), type, topic
// and the one-line summary, its publisher text isolated (user-text.ts). A message is
// a small notification card: its priority mark, its tags (emoji shortcodes as emoji),
// the title in bold, the body's first line, and when it came relative to now (the
// full time on hover). Rows are reused as the list scrolls, so `fillRow` only
// rewrites what changed.

import { summaryParts } from '../../server/protocol/event-vocabulary.ts';
import { LEVEL_ICON, LEVEL_WORD } from './level-look.ts';
import type { StoredEvent } from '../model/event-store.ts';
import { el, setText } from './element.ts';
import { splitTags } from '../../server/protocol/ntfy-emoji.ts';
import { previewOf } from './message-text.ts';
import { priorityLook } from './priority-look.ts';
import { absoluteTime, clockTime, relativeTime } from './time-words.ts';
import { setNodes, setParts, userText } from './user-text.ts';

export interface RowElement {
  root: HTMLDivElement;
  time: HTMLTimeElement;
  icon: HTMLSpanElement;
  word: HTMLSpanElement;
  type: HTMLSpanElement;
  topic: HTMLSpanElement;
  /** A message's priority mark and tags; empty for other events. */
  marks: HTMLSpanElement;
  summary: HTMLSpanElement;
  /** How many more events its group holds (the list grouped by topic), else empty. */
  more: HTMLSpanElement;
  /** The event shown, or null for a row not in use. */
  stored: StoredEvent | null;
}

export function createRow(): RowElement {
  const time = el('time', { class: 'row-time' });
  const icon = el('span', { class: 'level-icon', attrs: { 'aria-hidden': 'true' } });
  const word = el('span', { class: 'level-word' });
  const type = el('span', { class: 'row-type' });
  const topic = el('span', { class: 'row-topic' });
  const marks = el('span', { class: 'row-marks' });
  const summary = el('span', { class: 'row-summary' });
  const more = el('span', { class: 'row-more' });
  const badge = el('span', { class: 'level-badge' }, [icon, word]);
  const root = el('div', { class: 'event-row', attrs: { role: 'option', 'aria-selected': 'false' } }, [
    el('span', { class: 'row-head' }, [time, badge, type, topic, marks, more]),
    summary,
  ]);
  return { root, time, icon, word, type, topic, marks, summary, more, stored: null };
}

export function fillRow(row: RowElement, stored: StoredEvent, now: number): void {
  if (row.stored === stored) return;
  row.stored = stored;
  const { event } = stored;
  row.root.dataset['key'] = `${stored.server}/${event.id}`;
  row.root.dataset['level'] = stored.level;
  row.root.dataset['type'] = event.type;
  row.root.className = `event-row level-${stored.level} type-${event.type}`;
  row.time.dateTime = new Date(event.data.time).toISOString();
  setText(row.icon, LEVEL_ICON[stored.level]);
  setText(row.word, LEVEL_WORD[stored.level]);
  setText(row.type, event.type);
  setText(row.topic, event.data.topic);
  if (event.type === 'notify') {
    setText(row.time, relativeTime(event.data.time, now));
    row.time.title = absoluteTime(event.data.time);
    const priority = priorityLook(event.data.priority);
    const { emoji, words } = splitTags(event.data.tags);
    row.marks.replaceChildren(
      ...(priority ? [el('span', { class: `priority priority-${event.data.priority}`, attrs: { title: priority.word } }, [el('span', { text: priority.icon, attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'visually-hidden', text: priority.word })])] : []),
      ...emoji.map((e) => el('span', { class: 'tag-emoji', text: e })),
      ...words.map((w) => el('span', { class: 'tag' }, [userText(w)])),
    );
    const body = previewOf(event.data.body, event.data.markdown === true);
    const title = event.data.title ?? '';
    setNodes(row.summary, [...(title ? [el('strong', { class: 'row-title' }, [userText(title)])] : []), ...(title && body ? [': '] : []), ...(body ? [userText(body)] : [])]);
  } else {
    setText(row.time, clockTime(event.data.time, now));
    row.time.removeAttribute('title');
    row.marks.replaceChildren();
    setParts(row.summary, summaryParts(event));
  }
}

/** The group's count beside a row when the list is grouped by topic (0: not grouped). */
export function fillMore(row: RowElement, more: number): void {
  setText(row.more, more > 0 ? `+${more} more` : '');
}
