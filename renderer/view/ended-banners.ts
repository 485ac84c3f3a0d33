// "Ended" banners: when a stream finishes, the window says so with its final result,
// as the seed's client does on `end`. Shown for streams that ended while the window
// was open (or shortly before), and for the topic the list is filtered to.

import { endResultParts } from '../../server/protocol/event-vocabulary.ts';
import type { EndedTopic } from '../model/ended-streams.ts';
import { el } from './element.ts';
import { setParts } from './user-text.ts';

export interface EndedBannersOptions {
  onShow(ended: EndedTopic): void;
}

const MAX_SHOWN = 3;

/** A job's summary ends with its last output lines; the banner shows the first line. */
function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

export class EndedBanners {
  readonly element: HTMLElement;
  readonly #dismissed = new Set<string>();
  readonly #options: EndedBannersOptions;
  #signature = '';

  constructor(options: EndedBannersOptions) {
    this.#options = options;
    this.element = el('div', { class: 'ended-banners', attrs: { 'aria-live': 'polite' } });
  }

  render(ended: readonly EndedTopic[]): void {
    const shown = ended.filter((e) => !this.#dismissed.has(e.key));
    const signature = shown.map((e) => `${e.key}:${e.end.time}`).join('|');
    if (signature === this.#signature) return;
    this.#signature = signature;
    const banners = shown.slice(0, MAX_SHOWN).map((e) => {
      const result = el('span', { class: 'banner-result', attrs: { title: e.end.summary } });
      setParts(result, endResultParts({ ...e.end, summary: firstLine(e.end.summary) }));
      return el('div', { class: `ended-banner end-${e.end.state}`, attrs: { role: 'note', 'data-topic': e.topic } }, [
        el('strong', { text: `${e.topic} ended` }),
        result,
        el('span', { class: 'banner-actions' }, [
          el('button', { text: 'Show', attrs: { type: 'button', 'aria-label': `Show ${e.topic}` }, on: { click: () => this.#options.onShow(e) } }),
          el('button', {
            text: 'Dismiss',
            attrs: { type: 'button', 'aria-label': `Dismiss the banner of ${e.topic}` },
            on: {
              click: () => {
                this.#dismissed.add(e.key);
                this.render(ended);
              },
            },
          }),
        ]),
      ]);
    });
    if (shown.length > MAX_SHOWN) banners.push(el('p', { class: 'muted', text: `and ${shown.length - MAX_SHOWN} more ended` }));
    this.element.replaceChildren(...banners);
  }
}
