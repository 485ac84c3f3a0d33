// The side list of topics: name, stream state (live, reconnecting in N s, ended with
// result, failed with reason), latest value and level. Clicking a topic filters the
// list to it; clicking it again clears that filter. The search box narrows it to the
// topics whose name, latest value or latest event holds every word (model/topic-search.ts).
//
// Virtualized like the event list: cards have one measured height and only those in
// view (plus a few around) exist in the DOM, so 20,000 topics cost what 20 do.
// Keyboard: one card is in the tab order (roving tabindex, WAI-ARIA APG); arrows,
// Page Up/Down, Home and End move between cards, Enter or Space picks one. The card
// with the focus is kept in the DOM even when scrolled out of view.

import type { ServerStatus } from '../../main/ipc/bridge.ts';
import { user } from '../../server/protocol/text-parts.ts';
import { LEVEL_ICON, LEVEL_WORD } from './level-look.ts';
import { latestValueParts, type TopicBoard, type TopicEntry, topicStateOf } from '../model/topic-board.ts';
import { topicsMatching } from '../model/topic-search.ts';
import { scrollToReveal, visibleRange } from '../model/virtual-range.ts';
import { el, setAttr, setText } from './element.ts';
import { setParts } from './user-text.ts';

interface TopicItem {
  root: HTMLLIElement;
  button: HTMLButtonElement;
  name: HTMLSpanElement;
  level: HTMLSpanElement;
  state: HTMLSpanElement;
  value: HTMLSpanElement;
  /** The topic shown, or null for a card not in use. */
  entry: TopicEntry | null;
}

export interface TopicListOptions {
  /** A topic was picked (null: the picked one was clicked again, to clear the filter). */
  onPick(topic: { key: string; server: string; topic: string } | null): void;
}

export class TopicList {
  readonly element: HTMLElement;
  readonly #viewport: HTMLDivElement;
  readonly #list: HTMLUListElement;
  readonly #empty: HTMLParagraphElement;
  readonly #count: HTMLParagraphElement;
  readonly #options: TopicListOptions;
  /** Cards in the DOM, by topic key. */
  #items = new Map<string, TopicItem>();
  #cardHeight = 0;
  #picked: string | null = null;
  /** The card in the tab order (and the one the arrow keys move from). */
  #active: string | null = null;
  #words: readonly string[] = [];
  #shown: readonly TopicEntry[] = [];
  #shownFrom: { entries: readonly TopicEntry[]; version: number; words: readonly string[] } | null = null;
  #last: { board: TopicBoard; servers: readonly ServerStatus[]; now: number } | null = null;

  constructor(options: TopicListOptions) {
    this.#options = options;
    this.#list = el('ul', { class: 'topic-list' });
    this.#viewport = el('div', { class: 'topic-viewport', on: { scroll: () => this.#renderCards(), keydown: (e) => this.#onKey(e) } }, [this.#list]);
    this.#empty = el('p', { class: 'topic-list-empty', text: 'No topics yet.' });
    this.#count = el('p', { class: 'topic-count muted', attrs: { hidden: true } });
    this.element = el('nav', { class: 'topics', attrs: { 'aria-labelledby': 'topics-heading' } }, [
      el('h2', { text: 'Topics', attrs: { id: 'topics-heading' } }),
      this.#count,
      this.#empty,
      this.#viewport,
    ]);
  }

  /** The key of the topic the list is filtered to (the pressed entry). */
  set picked(key: string | null) {
    this.#picked = key;
  }

  /** Show only the topics whose name, latest value or latest event holds every word (lower-cased; none: all). */
  search(words: readonly string[]): void {
    if (words.join(' ') === this.#words.join(' ')) return;
    this.#words = words;
    this.#viewport.scrollTop = 0;
  }

  /** Measure a real card: its height follows the font size and the zoom level. */
  measure(): void {
    const probe = this.#newItem();
    probe.root.classList.add('topic-item-probe');
    setText(probe.name, 'probe');
    setText(probe.level, 'ℹ Info');
    this.#list.append(probe.root);
    const height = probe.root.getBoundingClientRect().height;
    probe.root.remove();
    if (height > 0 && Math.abs(height - this.#cardHeight) > 0.1) {
      const first = this.#cardHeight > 0 ? this.#viewport.scrollTop / this.#cardHeight : 0;
      this.#cardHeight = height;
      this.#list.style.setProperty('--topic-height', `${height}px`);
      this.#setHeight();
      this.#viewport.scrollTop = first * height;
    }
    this.#renderCards();
  }

  render(board: TopicBoard, servers: readonly ServerStatus[], now: number): void {
    this.#last = { board, servers, now };
    const entries = board.entries();
    const from = this.#shownFrom;
    // Unchanged topics and no search: the same list. While searching, latest values change what matches.
    if (!from || from.entries !== entries || from.version !== board.version || from.words !== this.#words || this.#words.length > 0) {
      this.#shown = topicsMatching(entries, this.#words);
      this.#shownFrom = { entries, version: board.version, words: this.#words };
    }
    this.#empty.hidden = this.#shown.length > 0;
    setText(this.#empty, entries.length === 0 ? 'No topics yet.' : 'No topic matches the search.');
    const filtered = this.#shown.length !== entries.length;
    this.#count.hidden = !filtered;
    if (filtered) setText(this.#count, `${this.#shown.length} of ${entries.length} topics`);
    this.#setHeight();
    this.#renderCards();
  }

  #setHeight(): void {
    this.#list.style.height = `${this.#shown.length * this.#cardHeight}px`;
  }

  #indexOfKey(key: string | null): number {
    if (key === null) return -1;
    const item = this.#items.get(key);
    if (item?.entry && this.#shown[Number(item.root.dataset['index'])] === item.entry) return Number(item.root.dataset['index']);
    return this.#shown.findIndex((entry) => entry.key === key);
  }

  #renderCards(): void {
    const last = this.#last;
    if (!last || this.#cardHeight <= 0) return;
    const count = this.#shown.length;
    const { start, end } = visibleRange(this.#viewport.scrollTop, this.#viewport.clientHeight, this.#cardHeight, count, 4);
    let activeIndex = this.#indexOfKey(this.#active);
    if (activeIndex < 0) {
      activeIndex = count > 0 ? Math.max(0, this.#indexOfKey(this.#picked)) : -1;
      this.#active = activeIndex >= 0 ? (this.#shown[activeIndex]?.key ?? null) : null;
    }
    const wanted: number[] = [];
    for (let index = start; index < end; index++) wanted.push(index);
    // The card in the tab order stays in the DOM, so the focus is never lost to a scroll.
    if (activeIndex >= 0 && (activeIndex < start || activeIndex >= end)) wanted.push(activeIndex);

    const focused = this.#list.contains(document.activeElement);
    const keep = new Set(wanted.map((index) => this.#shown[index]!.key));
    const free: TopicItem[] = [];
    for (const [key, item] of this.#items) {
      if (!keep.has(key)) {
        this.#items.delete(key);
        free.push(item);
      }
    }
    const byServer = new Map(last.servers.map((s) => [s.server, s]));
    const multipleServers = last.servers.length > 1;
    let previous: HTMLLIElement | null = null;
    for (const index of wanted.sort((a, b) => a - b)) {
      const entry = this.#shown[index]!;
      let item = this.#items.get(entry.key);
      if (!item) {
        item = free.pop() ?? this.#newItem();
        this.#items.set(entry.key, item);
      }
      this.#fill(item, entry, index, byServer.get(entry.server), multipleServers, last.now);
      // DOM order follows list order, as screen readers read it.
      const expected: ChildNode | null = previous ? previous.nextSibling : this.#list.firstChild;
      if (expected !== item.root) this.#list.insertBefore(item.root, expected);
      previous = item.root;
    }
    for (const item of free) {
      item.entry = null;
      item.root.remove();
    }
    if (focused && !this.#list.contains(document.activeElement)) this.#activeItem()?.button.focus();
  }

  #fill(item: TopicItem, entry: TopicEntry, index: number, server: ServerStatus | undefined, multipleServers: boolean, now: number): void {
    item.entry = entry;
    const state = topicStateOf(entry, server, now);
    setParts(item.name, multipleServers && server ? [entry.topic, ' (', user(server.label), ')'] : [entry.topic]);
    setText(item.level, `${LEVEL_ICON[entry.level]} ${LEVEL_WORD[entry.level]}`);
    item.level.className = `level-badge level-${entry.level}`;
    setParts(item.state, state.parts);
    item.state.className = `topic-state state-${state.kind}`;
    setParts(item.value, latestValueParts(entry));
    item.root.dataset['state'] = state.kind;
    item.root.dataset['index'] = String(index);
    item.root.style.transform = `translateY(${index * this.#cardHeight}px)`;
    setAttr(item.root, 'aria-posinset', index + 1);
    setAttr(item.root, 'aria-setsize', this.#shown.length);
    item.button.dataset['topic'] = entry.topic;
    item.button.title = entry.topic;
    item.button.setAttribute('aria-pressed', String(entry.key === this.#picked));
    item.button.tabIndex = entry.key === this.#active ? 0 : -1;
  }

  #activeItem(): TopicItem | undefined {
    return this.#active === null ? undefined : this.#items.get(this.#active);
  }

  #newItem(): TopicItem {
    const name = el('span', { class: 'topic-name' });
    const level = el('span', { class: 'level-badge' });
    const state = el('span', { class: 'topic-state' });
    const value = el('span', { class: 'topic-value' });
    const button = el('button', { class: 'topic-button', attrs: { type: 'button', 'aria-pressed': 'false', tabindex: -1 } }, [
      el('span', { class: 'topic-line' }, [name, level]),
      state,
      value,
    ]);
    const root = el('li', { class: 'topic-item' }, [button]);
    const item: TopicItem = { root, button, name, level, state, value, entry: null };
    // Focus from the mouse or Tab makes this the card the arrows move from.
    button.addEventListener('focus', () => {
      if (!item.entry || item.entry.key === this.#active) return;
      this.#active = item.entry.key;
      for (const other of this.#items.values()) other.button.tabIndex = other === item ? 0 : -1;
    });
    button.addEventListener('click', () => {
      const entry = item.entry;
      if (!entry) return;
      const { key, server, topic } = entry;
      this.#active = key;
      this.#options.onPick(this.#picked === key ? null : { key, server, topic });
    });
    return item;
  }

  #onKey(event: KeyboardEvent): void {
    const count = this.#shown.length;
    if (count === 0 || this.#cardHeight <= 0) return;
    const current = this.#indexOfKey(this.#active);
    const page = Math.max(1, Math.floor(this.#viewport.clientHeight / this.#cardHeight) - 1);
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = current + 1;
        break;
      case 'ArrowUp':
        next = current - 1;
        break;
      case 'PageDown':
        next = current + page;
        break;
      case 'PageUp':
        next = current - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    const index = Math.max(0, Math.min(count - 1, next));
    this.#active = this.#shown[index]!.key;
    this.#viewport.scrollTop = scrollToReveal(index, this.#viewport.scrollTop, this.#viewport.clientHeight, this.#cardHeight);
    this.#renderCards();
    this.#activeItem()?.button.focus();
  }
}
