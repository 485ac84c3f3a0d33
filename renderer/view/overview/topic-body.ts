// A message topic's card (its latest message is the card's line): that message's
// priority, tags and time, a button to its history, and how many messages came per
// time bucket over the chosen range.

import type { SourceEntry } from '../../model/overview/overview-model.ts';
import type { TopicDetail } from '../../model/overview/topic-detail.ts';
import { countPerBucket } from '../../model/overview/uptime.ts';
import { el, setText } from '../element.ts';
import { splitTags } from '../../../server/protocol/ntfy-emoji.ts';
import { priorityLook } from '../priority-look.ts';
import { absoluteTime, relativeTime } from '../time-words.ts';
import { setNodes, userText } from '../user-text.ts';
import type { CardBody, CardContext } from './card-context.ts';
import { TimeChart } from './time-chart.ts';

export class TopicBody implements CardBody<SourceEntry> {
  readonly element: HTMLElement;
  readonly charts: TimeChart[];
  readonly #latest: HTMLElement;
  readonly #when: HTMLTimeElement;
  readonly #counts = new TimeChart({ label: 'Messages', kind: 'bars', format: (v) => String(v), height: 56 });
  readonly #showButton: HTMLButtonElement;
  #topic = '';
  #server = '';
  #show: (server: string, topic: string) => void = () => {};

  constructor() {
    this.#latest = el('p', { class: 'latest-marks' });
    this.#when = el('time', { class: 'latest-when' });
    this.charts = [this.#counts];
    this.#showButton = el('button', { class: 'chart-button', text: 'History', attrs: { type: 'button' }, on: { click: () => this.#show(this.#server, this.#topic) } });
    this.element = el('div', { class: 'topic-body' }, [el('div', { class: 'latest' }, [this.#latest, this.#when, this.#showButton]), this.#counts.element]);
  }

  render(entry: SourceEntry, context: CardContext): void {
    const detail = entry.detail as TopicDetail;
    const { now, range } = context;
    this.#topic = entry.source.id;
    this.#server = entry.server;
    this.#show = context.actions.showTopic;
    this.#showButton.setAttribute('aria-label', `History of ${entry.source.id}`);
    const latest = detail.latest;
    const marks: Array<Node | string> = [];
    if (latest?.event.type === 'notify') {
      const priority = priorityLook(latest.event.data.priority);
      const { emoji, words } = splitTags(latest.event.data.tags);
      if (priority) marks.push(el('span', { class: `priority priority-${latest.event.data.priority}` }, [el('span', { text: priority.icon, attrs: { 'aria-hidden': 'true' } }), ` ${priority.word}`]));
      marks.push(...emoji.map((e) => el('span', { class: 'tag-emoji', text: e })), ...words.map((w) => el('span', { class: 'tag' }, [userText(w)])));
    }
    setNodes(this.#latest, marks);
    if (latest) {
      const time = latest.event.data.time;
      setText(this.#when, relativeTime(time, now));
      this.#when.dateTime = new Date(time).toISOString();
      this.#when.title = absoluteTime(time);
    }
    const from = now - range.ms;
    const { starts, counts } = countPerBucket(detail.messages.times, from, now, range.bucketMs);
    const total = counts.reduce((a, b) => a + b, 0);
    const most = Math.max(0, ...counts);
    const caption =
      total === 0
        ? `No messages in ${range.words}.`
        : `${total} message${total === 1 ? '' : 's'} in ${range.words}; at most ${most} ${range.bucketWords}.`;
    this.#counts.update({ times: starts, values: counts, from, to: now, caption, headline: `${total} in ${range.words}` });
  }
}
