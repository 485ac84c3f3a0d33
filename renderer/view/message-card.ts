// A message as a notification card, at the top of its details: priority, title, when
// (relative, the full time on hover), its tags (emoji shortcodes as emoji), the body
// (formatted when the publisher sent Markdown, markdown.ts), and its links as buttons:
// the click URL and the publisher's view actions (linksOf, http(s) only; an http
// action, which sends a request, is shown but not sent from here).

import { linksOf } from '../../server/protocol/event-vocabulary.ts';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { el, uniqueId } from './element.ts';
import { splitTags } from '../../server/protocol/ntfy-emoji.ts';
import { webLink } from '../../server/protocol/web-link.ts';
import { externalLink, markdownNodes, plainNodes } from './markdown.ts';
import { priorityLook } from './priority-look.ts';
import { absoluteTime, relativeTime } from './time-words.ts';
import { userText } from './user-text.ts';

export function messageCard(event: HeraldEvent<'notify'>, now: number): HTMLElement {
  const { data } = event;
  const priority = priorityLook(data.priority);
  const { emoji, words } = splitTags(data.tags);
  const when = el('time', { class: 'message-when', text: relativeTime(data.time, now), attrs: { datetime: new Date(data.time).toISOString(), title: absoluteTime(data.time) } });
  const links: HTMLElement[] = [];
  for (const link of linksOf(event)) {
    const href = webLink(link.url);
    if (href) links.push(externalLink(href, [userText(link.label)], 'button-link'));
  }
  let noteId: string | null = null;
  for (const action of data.actions ?? []) {
    const href = webLink(action.url);
    if (!href || action.action === 'view') continue;
    // An http action sends a request: the window sends none for a message (its page may
    // only talk to its own server), so the button says what it would do and stays off.
    noteId ??= uniqueId('http-action');
    links.push(el('button', { attrs: { type: 'button', disabled: true, 'aria-describedby': noteId, title: `${action.method ?? 'POST'} ${href}` } }, [userText(action.label)]));
  }
  if (noteId) links.push(el('span', { class: 'note', text: 'A button that sends a request is shown, not sent: the window sends no request for a message.', attrs: { id: noteId } }));
  return el('article', { class: `message-card priority-${data.priority}`, attrs: { 'aria-label': 'Message' } }, [
    el('header', { class: 'message-head' }, [
      priority ? el('span', { class: `priority priority-${data.priority}` }, [el('span', { text: priority.icon, attrs: { 'aria-hidden': 'true' } }), ` ${priority.word}`]) : null,
      when,
    ]),
    data.title ? el('p', { class: 'message-title' }, [...emoji.map((e) => `${e} `), userText(data.title)]) : null,
    !data.title && emoji.length > 0 ? el('p', { class: 'message-title' }, [emoji.join(' ')]) : null,
    el('div', { class: data.markdown ? 'message-body markdown' : 'message-body' }, data.markdown ? markdownNodes(data.body) : plainNodes(data.body)),
    words.length > 0 ? el('p', { class: 'message-tags' }, ['Tags: ', ...words.flatMap((w, i) => [i > 0 ? ', ' : '', userText(w)])]) : null,
    links.length > 0 ? el('div', { class: 'message-links', attrs: { role: 'group', 'aria-label': 'Links of this message' } }, links) : null,
  ]);
}
