// The overview, the window's first view: a header that says how all sources are ("All
// 7 sources OK", "2 need attention" and which, the line the tray says too), the time
// range of the charts, and one card per source, worst first. Cards are redrawn only
// when their source changed (at most once a frame: the app hands over batches from its
// frame batcher), and once a second while a job runs (its elapsed time); the windows
// of all charts move on every 30 s. A card far from the screen shows only its level
// and name: its body is drawn (and its charts made) as it comes near.

import { worstSourceNames } from '../../../server/protocol/source-status.ts';
import type { OverviewModel, SourceEntry } from '../../model/overview/overview-model.ts';
import { runningRun } from '../../model/overview/job-detail.ts';
import { RANGES, type RangeName } from '../../model/overview/time-range.ts';
import { el, setAttr } from '../element.ts';
import { LEVEL_ICON, LEVEL_WORD } from '../level-look.ts';
import { userText } from '../user-text.ts';
import type { CardActions } from './card-context.ts';
import { SourceCard } from './source-card.ts';

export interface OverviewOptions {
  now(): number;
  actions: CardActions;
  /** The server's label when more than one server is watched, else null. */
  serverLabel(server: string): string | null;
}

const SLIDE_EVERY_TICKS = 30;
/** Cards drawn at most, worst first: a window watching 20,000 topics lists them in the event view. */
export const MAX_CARDS = 120;

export class OverviewView {
  readonly element: HTMLElement;
  readonly #model: OverviewModel;
  readonly #options: OverviewOptions;
  readonly #summary: HTMLElement;
  readonly #grid: HTMLElement;
  readonly #empty: HTMLElement;
  readonly #more: HTMLElement;
  readonly #rangeButtons: HTMLButtonElement[];
  readonly #cards = new Map<string, SourceCard>();
  readonly #drawn = new Map<string, number>();
  /** Cards near the screen (drawn in full), and every entry by key. */
  readonly #near = new Set<string>();
  readonly #entries = new Map<string, SourceEntry>();
  readonly #observer: IntersectionObserver | null;
  #range: RangeName = '1h';
  #visible = false;
  #orderVersion = -1;
  #ticks = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(model: OverviewModel, options: OverviewOptions) {
    this.#model = model;
    this.#options = options;
    this.#summary = el('p', { class: 'overview-summary', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.#rangeButtons = Object.values(RANGES).map((range) =>
      el('button', {
        text: range.label,
        attrs: { type: 'button', 'aria-pressed': String(range.name === this.#range), 'data-range': range.name, title: `Charts over ${range.words}` },
        on: { click: () => this.setRange(range.name) },
      }),
    );
    this.#grid = el('div', { class: 'card-grid' });
    this.#more = el('p', { class: 'overview-more muted', attrs: { hidden: true } });
    this.#empty = el('p', { class: 'overview-empty muted', text: 'No sources yet. The system source, probes, jobs and topics appear here as their first events arrive.' });
    this.element = el('section', { class: 'overview', attrs: { 'aria-labelledby': 'overview-heading' } }, [
      el('header', { class: 'overview-head' }, [
        el('h2', { text: 'Overview', attrs: { id: 'overview-heading', tabindex: -1 } }),
        this.#summary,
        el('div', { class: 'range-picker', attrs: { role: 'group', 'aria-label': 'Time range of the charts' } }, this.#rangeButtons),
      ]),
      this.#empty,
      this.#grid,
      this.#more,
    ]);
    this.#observer =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => {
            for (const seen of entries) {
              if (!seen.isIntersecting) continue;
              const key = (seen.target as HTMLElement).dataset['key'] ?? '';
              this.#near.add(key);
              this.#drawCard(key);
            }
          }, { rootMargin: '400px' });
  }

  get range(): RangeName {
    return this.#range;
  }

  setRange(range: RangeName): void {
    this.#range = range;
    for (const button of this.#rangeButtons) button.setAttribute('aria-pressed', String(button.dataset['range'] === range));
    this.#drawn.clear();
    this.render();
  }

  /** Shown or hidden with its tab; hidden, it only remembers what changed. */
  setVisible(visible: boolean): void {
    this.#visible = visible;
    if (visible) {
      this.render();
      this.#timer ??= setInterval(() => this.#tick(), 1000);
    } else if (this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  focus(): void {
    this.element.querySelector<HTMLElement>('#overview-heading')?.focus();
  }

  /** Draw what changed since the last time (cards whose source version moved, the order, the summary). */
  render(): void {
    if (!this.#visible) return;
    const all = this.#model.entries();
    const entries = all.length > MAX_CARDS ? all.slice(0, MAX_CARDS) : all;
    const summary = this.#model.summary();
    const names = summary.attention.length > 0 ? worstSourceNames(summary) : '';
    const signature = `${summary.level}|${summary.text}|${names}`;
    if (this.#summary.dataset['signature'] !== signature) {
      this.#summary.dataset['signature'] = signature;
      this.#summary.className = `overview-summary level-${summary.level}`;
      this.#summary.replaceChildren(
        el('span', { class: `level-badge level-${summary.level}` }, [el('span', { text: LEVEL_ICON[summary.level], attrs: { 'aria-hidden': 'true' } }), LEVEL_WORD[summary.level]]),
        el('span', { class: 'summary-text' }, [summary.text]),
        ...(names ? [': ', ...summary.attention.slice(0, 3).flatMap((s, i) => [i > 0 ? ', ' : '', userText(s.source.id)]), summary.attention.length > 3 ? ` and ${summary.attention.length - 3} more` : ''] : []),
      );
    }
    setAttr(this.#empty, 'hidden', entries.length > 0);
    setAttr(this.#more, 'hidden', all.length <= MAX_CARDS);
    if (all.length > MAX_CARDS) this.#more.textContent = `Showing ${MAX_CARDS} of ${all.length} sources, worst first; the Events view lists every topic.`;
    for (const entry of entries) {
      let card = this.#cards.get(entry.key);
      if (!card) {
        card = new SourceCard(entry, this.#options.serverLabel(entry.server));
        card.element.dataset['key'] = entry.key;
        this.#cards.set(entry.key, card);
        this.#entries.set(entry.key, entry);
        if (this.#observer) this.#observer.observe(card.element);
        else this.#near.add(entry.key);
      }
      card.renderHead(entry);
      if (this.#near.has(entry.key)) this.#drawCard(entry.key);
    }
    if (this.#orderVersion !== this.#model.orderVersion || this.#grid.childElementCount !== entries.length) {
      this.#orderVersion = this.#model.orderVersion;
      this.#order(entries);
    }
    // Cards that fell past the cap go.
    if (this.#cards.size > entries.length) {
      const kept = new Set(entries.map((e) => e.key));
      for (const [key, card] of this.#cards) {
        if (kept.has(key)) continue;
        card.destroy();
        card.element.remove();
        this.#observer?.unobserve(card.element);
        this.#cards.delete(key);
        this.#drawn.delete(key);
        this.#entries.delete(key);
        this.#near.delete(key);
      }
    }
  }

  /** Draw a card near the screen in full, if its source changed since, and make its charts. */
  #drawCard(key: string): void {
    const card = this.#cards.get(key);
    const entry = this.#entries.get(key);
    if (!card || !entry || !this.#visible) return;
    if (this.#drawn.get(key) !== entry.version) {
      this.#drawn.set(key, entry.version);
      card.render(entry, { now: this.#options.now(), range: RANGES[this.#range], actions: this.#options.actions });
    }
    for (const chart of card.charts) chart.attach();
  }

  /** Forget every card (the history was cleared). */
  reset(): void {
    for (const card of this.#cards.values()) {
      card.destroy();
      this.#observer?.unobserve(card.element);
    }
    this.#cards.clear();
    this.#drawn.clear();
    this.#entries.clear();
    this.#near.clear();
    this.#grid.replaceChildren();
    this.#orderVersion = -1;
    this.render();
  }

  #order(entries: readonly SourceEntry[]): void {
    let previous: Element | null = null;
    for (const entry of entries) {
      const node = this.#cards.get(entry.key)!.element;
      const expected: Element | null = previous ? previous.nextElementSibling : this.#grid.firstElementChild;
      if (expected !== node) this.#grid.insertBefore(node, expected);
      previous = node;
    }
  }

  #tick(): void {
    this.#ticks++;
    if (this.#ticks % SLIDE_EVERY_TICKS === 0) {
      this.#drawn.clear();
    } else {
      // Only running jobs show a clock that moves every second (those drawn in full).
      for (const key of this.#near) {
        const entry = this.#entries.get(key);
        if (entry?.source.kind === 'job' && entry.detail.kind === 'job' && runningRun(entry.detail)) this.#drawn.delete(key);
      }
    }
    this.render();
  }
}
