// The virtualized event list, newest first. Only the rows in view (plus a few above
// and below) exist in the DOM, so 100,000 events cost what 30 do. Rows inserted at
// the top while the reader is scrolled down move the scroll position by the same
// amount, so what they read stays put, and a "N new" pill takes them to the top.
// Keyboard: a listbox (WAI-ARIA APG "Listbox" pattern) with aria-activedescendant.

import type { StoredEvent } from '../model/event-store.ts';
import type { FilteredView } from '../model/filtered-view.ts';
import { keyTarget, pageRows, scrollAfterInsert, scrollToReveal, visibleRange } from '../model/virtual-range.ts';
import { el, setAttr } from './element.ts';
import { createRow, fillMore, fillRow, type RowElement } from './event-row.ts';

export interface EventListOptions {
  onSelect(stored: StoredEvent | null): void;
  /** Enter on a row: move focus to its details. */
  onOpen(stored: StoredEvent): void;
  now(): number;
}

export class EventList {
  readonly element: HTMLElement;
  readonly #view: FilteredView;
  readonly #options: EventListOptions;
  readonly #viewport: HTMLDivElement;
  readonly #spacer: HTMLDivElement;
  readonly #pill: HTMLButtonElement;
  readonly #empty: HTMLParagraphElement;
  #rows: RowElement[] = [];
  #rowHeight = 0;
  #newCount = 0;
  #selected: StoredEvent | null = null;

  constructor(view: FilteredView, options: EventListOptions) {
    this.#view = view;
    this.#options = options;
    this.#spacer = el('div', { class: 'event-list-spacer' });
    this.#viewport = el(
      'div',
      {
        class: 'event-list',
        attrs: { role: 'listbox', tabindex: 0, 'aria-label': 'Events, newest first' },
        on: { scroll: () => this.#onScroll(), keydown: (e) => this.#onKey(e) },
      },
      [this.#spacer],
    );
    this.#pill = el('button', {
      class: 'new-pill',
      attrs: { type: 'button', hidden: true },
      on: { click: () => this.scrollToTop() },
    });
    this.#empty = el('p', { class: 'event-list-empty', text: 'No events match the filters.', attrs: { hidden: true } });
    this.element = el('div', { class: 'event-list-wrap' }, [this.#pill, this.#viewport, this.#empty]);
  }

  get selected(): StoredEvent | null {
    return this.#selected;
  }

  get newCount(): number {
    return this.#newCount;
  }

  /** Measure a real row: its height follows the font size and the zoom level. */
  measure(): void {
    const probe = createRow();
    probe.root.classList.add('event-row-probe');
    this.#spacer.append(probe.root);
    const height = probe.root.getBoundingClientRect().height;
    probe.root.remove();
    if (height > 0 && Math.abs(height - this.#rowHeight) > 0.1) {
      const firstRow = this.#rowHeight > 0 ? this.#viewport.scrollTop / this.#rowHeight : 0;
      this.#rowHeight = height;
      this.#viewport.style.setProperty('--row-height', `${height}px`);
      this.#render();
      this.#viewport.scrollTop = firstRow * height;
    }
    this.#render();
  }

  /** The filter changed: show the newest matches from the top. */
  reset(): void {
    this.#newCount = 0;
    this.#viewport.scrollTop = 0;
    this.#render();
  }

  /** `count` new rows were added at the top of the view. */
  inserted(count: number): void {
    if (count <= 0) return;
    const before = this.#viewport.scrollTop;
    this.#setHeight();
    const after = scrollAfterInsert(before, count, this.#rowHeight);
    if (after !== before) {
      this.#viewport.scrollTop = after;
      this.#newCount += count;
    }
    this.#render();
  }

  scrollToTop(): void {
    this.#viewport.scrollTop = 0;
    this.#newCount = 0;
    this.#render();
    this.#viewport.focus();
  }

  focus(): void {
    this.#viewport.focus();
  }

  select(stored: StoredEvent | null, reveal = true): void {
    this.#selected = stored;
    const index = stored === null ? -1 : this.#view.indexOf(stored);
    if (reveal && index >= 0 && this.#rowHeight > 0) {
      this.#viewport.scrollTop = scrollToReveal(index, this.#viewport.scrollTop, this.#viewport.clientHeight, this.#rowHeight);
    }
    this.#render();
    this.#options.onSelect(stored);
  }

  /** Re-render the rows in view (after the store changed under them). */
  refresh(): void {
    for (const row of this.#rows) row.stored = null;
    this.#render();
  }

  #setHeight(): void {
    this.#spacer.style.height = `${this.#view.length * this.#rowHeight}px`;
  }

  #onScroll(): void {
    if (this.#viewport.scrollTop < this.#rowHeight / 2) this.#newCount = 0;
    this.#render();
  }

  #render(): void {
    this.#setHeight();
    const count = this.#view.length;
    this.#empty.hidden = count > 0;
    setAttr(this.#pill, 'hidden', this.#newCount === 0);
    this.#pill.textContent = `${this.#newCount} new`;
    if (this.#rowHeight <= 0) return;
    const { start, end } = visibleRange(this.#viewport.scrollTop, this.#viewport.clientHeight, this.#rowHeight, count);
    // Rows follow their event: when events arrive at the top, the rows already shown
    // only move; just the new ones are filled.
    const wanted = new Map<StoredEvent, number>();
    for (let index = start; index < end; index++) {
      const stored = this.#view.at(index);
      if (stored) wanted.set(stored, index);
    }
    const byStored = new Map<StoredEvent, RowElement>();
    const free: RowElement[] = [];
    for (const row of this.#rows) {
      if (row.stored && wanted.has(row.stored) && !byStored.has(row.stored)) byStored.set(row.stored, row);
      else free.push(row);
    }
    const now = this.#options.now();
    const used: RowElement[] = [];
    let active: string | null = null;
    for (const [stored, index] of wanted) {
      let row = byStored.get(stored);
      if (!row) {
        row = free.pop() ?? this.#newRow();
        fillRow(row, stored, now);
      }
      used.push(row);
      fillMore(row, this.#view.moreOf(stored));
      row.root.id = `event-row-${index}`;
      row.root.style.transform = `translateY(${index * this.#rowHeight}px)`;
      setAttr(row.root, 'aria-posinset', index + 1);
      setAttr(row.root, 'aria-setsize', count);
      const selected = stored === this.#selected;
      row.root.setAttribute('aria-selected', String(selected));
      if (selected) active = row.root.id;
    }
    for (const row of free) row.root.remove();
    // DOM order follows list order, as screen readers and text selection read it.
    let previous: HTMLDivElement | null = null;
    for (const row of used) {
      const expected: ChildNode | null = previous ? previous.nextSibling : this.#spacer.firstChild;
      if (expected !== row.root) this.#spacer.insertBefore(row.root, expected);
      previous = row.root;
    }
    this.#rows = used;
    setAttr(this.#viewport, 'aria-activedescendant', active);
  }

  #newRow(): RowElement {
    const row = createRow();
    row.root.addEventListener('click', () => {
      if (row.stored) this.select(row.stored, false);
    });
    this.#spacer.append(row.root);
    return row;
  }

  #onKey(event: KeyboardEvent): void {
    const count = this.#view.length;
    if (count === 0) return;
    if (event.key === 'Enter') {
      if (this.#selected) this.#options.onOpen(this.#selected);
      event.preventDefault();
      return;
    }
    const current = this.#selected === null ? -1 : this.#view.indexOf(this.#selected);
    const index = keyTarget(event.key, current, pageRows(this.#viewport.clientHeight, this.#rowHeight), count);
    if (index === null) return;
    event.preventDefault();
    const target = this.#view.at(index);
    if (target) this.select(target);
  }
}
