// A chart's points as a table, on request (the "Table" button): time and value,
// newest first. Built only while open; refreshed with the chart.

import { el, setAttr, uniqueId } from '../element.ts';
import type { ChartData, ChartSpec } from './chart-types.ts';
import { absoluteTime } from '../time-words.ts';

/** Rows shown at most; the caption says how many there are. */
const MAX_ROWS = 100;

export class ChartTable {
  readonly toggle: HTMLButtonElement;
  readonly element: HTMLElement;
  readonly #spec: ChartSpec;
  #data: ChartData | null = null;
  #open = false;

  constructor(spec: ChartSpec) {
    this.#spec = spec;
    const id = uniqueId('chart-table');
    this.element = el('div', { class: 'chart-table', attrs: { id, hidden: true } });
    this.toggle = el('button', {
      class: 'chart-button',
      text: 'Table',
      attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': id, 'aria-label': `${spec.label} as a table` },
      on: { click: () => this.#setOpen(!this.#open) },
    });
  }

  update(data: ChartData): void {
    this.#data = data;
    if (this.#open) this.#render();
  }

  #setOpen(open: boolean): void {
    this.#open = open;
    this.toggle.setAttribute('aria-expanded', String(open));
    setAttr(this.element, 'hidden', !open);
    if (open) this.#render();
    else this.element.replaceChildren();
  }

  #render(): void {
    const data = this.#data;
    if (!data) return;
    const rows: HTMLTableRowElement[] = [];
    let total = 0;
    for (let i = data.times.length - 1; i >= 0; i--) {
      const value = data.values[i];
      if (value === null || value === undefined) continue;
      total++;
      if (rows.length < MAX_ROWS) rows.push(el('tr', {}, [el('td', { text: absoluteTime(data.times[i]!) }), el('td', { text: this.#spec.format(value) })]));
    }
    const shown = total > MAX_ROWS ? `, the newest ${MAX_ROWS} of ${total}` : '';
    this.element.replaceChildren(
      el('table', {}, [
        el('caption', { text: `${this.#spec.label}${shown}` }),
        el('thead', {}, [el('tr', {}, [el('th', { text: 'Time', attrs: { scope: 'col' } }), el('th', { text: 'Value', attrs: { scope: 'col' } })])]),
        el('tbody', {}, rows.length > 0 ? rows : [el('tr', {}, [el('td', { text: 'No points in this range', attrs: { colspan: 2 } })])]),
      ]),
    );
  }
}
