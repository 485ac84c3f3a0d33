// The side list of topics: name, stream state (live, reconnecting in N s, ended with
// result, failed with reason), latest value and level. Clicking a topic filters the
// list to it; clicking it again clears that filter. Entries are keyed and reused, as
// this is redrawn every frame while events stream in.

import type { ServerStatus } from '../../main/ipc/bridge.ts';
import { LEVEL_ICON, LEVEL_WORD } from '../model/event-description.ts';
import { user } from '../model/text-parts.ts';
import { latestValueParts, type TopicBoard, type TopicEntry, topicStateOf } from '../model/topic-board.ts';
import { el, setText } from './element.ts';
import { setParts } from './user-text.ts';

interface TopicItem {
  root: HTMLLIElement;
  button: HTMLButtonElement;
  name: HTMLSpanElement;
  level: HTMLSpanElement;
  state: HTMLSpanElement;
  value: HTMLSpanElement;
}

export interface TopicListOptions {
  /** A topic was picked (null: the picked one was clicked again, to clear the filter). */
  onPick(topic: { key: string; server: string; topic: string } | null): void;
}

export class TopicList {
  readonly element: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #empty: HTMLParagraphElement;
  readonly #items = new Map<string, TopicItem>();
  readonly #options: TopicListOptions;
  #picked: string | null = null;

  constructor(options: TopicListOptions) {
    this.#options = options;
    this.#list = el('ul', { class: 'topic-list' });
    this.#empty = el('p', { class: 'topic-list-empty', text: 'No topics yet.' });
    this.element = el('nav', { class: 'topics', attrs: { 'aria-labelledby': 'topics-heading' } }, [
      el('h2', { text: 'Topics', attrs: { id: 'topics-heading' } }),
      this.#empty,
      this.#list,
    ]);
  }

  /** The key of the topic the list is filtered to (the pressed entry). */
  set picked(key: string | null) {
    this.#picked = key;
  }

  render(board: TopicBoard, servers: readonly ServerStatus[], now: number): void {
    const byServer = new Map(servers.map((s) => [s.server, s]));
    const multipleServers = servers.length > 1;
    const entries = board.entries();
    this.#empty.hidden = entries.length > 0;
    const seen = new Set<string>();
    let previous: HTMLLIElement | null = null;
    for (const entry of entries) {
      seen.add(entry.key);
      const item = this.#items.get(entry.key) ?? this.#create(entry);
      const server = byServer.get(entry.server);
      const state = topicStateOf(entry, server, now);
      setParts(item.name, multipleServers && server ? [entry.topic, ' (', user(server.label), ')'] : [entry.topic]);
      setText(item.level, `${LEVEL_ICON[entry.level]} ${LEVEL_WORD[entry.level]}`);
      item.level.className = `level-badge level-${entry.level}`;
      setParts(item.state, state.parts);
      item.state.className = `topic-state state-${state.kind}`;
      setParts(item.value, latestValueParts(entry));
      item.root.dataset['state'] = state.kind;
      item.button.setAttribute('aria-pressed', String(entry.key === this.#picked));
      // Keep DOM order equal to the sorted order, moving only what is out of place.
      const expected: ChildNode | null = previous ? previous.nextSibling : this.#list.firstChild;
      if (expected !== item.root) this.#list.insertBefore(item.root, expected);
      previous = item.root;
    }
    for (const [key, item] of this.#items) {
      if (!seen.has(key)) {
        item.root.remove();
        this.#items.delete(key);
      }
    }
  }

  #create(entry: TopicEntry): TopicItem {
    const name = el('span', { class: 'topic-name' });
    const level = el('span', { class: 'level-badge' });
    const state = el('span', { class: 'topic-state' });
    const value = el('span', { class: 'topic-value' });
    const { key, server, topic } = entry;
    const button = el(
      'button',
      {
        class: 'topic-button',
        attrs: { type: 'button', 'aria-pressed': 'false', 'data-topic': entry.topic },
        on: {
          click: () => this.#options.onPick(this.#picked === key ? null : { key, server, topic }),
        },
      },
      [el('span', { class: 'topic-line' }, [name, level]), state, value],
    );
    const root = el('li', { class: 'topic-item' }, [button]);
    const item: TopicItem = { root, button, name, level, state, value };
    this.#items.set(key, item);
    return item;
  }
}
