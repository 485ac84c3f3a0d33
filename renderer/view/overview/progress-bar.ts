// A job run's progress: a progressbar (WAI-ARIA) with aria-valuenow in percent and
// the words beside it; without a stated progress it is indeterminate (no valuenow).

import { el, setAttr, setText } from '../element.ts';

export class ProgressBar {
  readonly element: HTMLElement;
  readonly #bar: HTMLElement;
  readonly #fill: HTMLElement;
  readonly #words: HTMLElement;

  constructor() {
    this.#fill = el('span', { class: 'progress-fill' });
    this.#bar = el('span', { class: 'progress', attrs: { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 } }, [this.#fill]);
    this.#words = el('span', { class: 'progress-words' });
    this.element = el('div', { class: 'progress-row' }, [this.#bar, this.#words]);
  }

  /** `progress` 0..1 or null (unknown); `words` e.g. "80 %, 12 s elapsed". */
  render(label: string, progress: number | null, words: string): void {
    setAttr(this.#bar, 'aria-label', label);
    const percent = progress === null ? null : Math.round(progress * 100);
    setAttr(this.#bar, 'aria-valuenow', percent);
    setAttr(this.#bar, 'aria-valuetext', words);
    this.#bar.classList.toggle('progress-unknown', percent === null);
    this.#fill.style.width = percent === null ? '' : `${percent}%`;
    setText(this.#words, words);
  }
}
