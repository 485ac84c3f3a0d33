// The filters above the list: search (accessible name "Search"), topic (a name or a
// pattern such as job/**, explained inline when invalid), type, level and time range.

import { EVENT_TYPES, type EventType } from '../../server/protocol/events.ts';
import { EVENT_LEVELS, type EventLevel } from '../../server/protocol/event-vocabulary.ts';
import { LEVEL_ICON, LEVEL_WORD } from './level-look.ts';
import { type EventFilter, NO_FILTER } from '../model/event-filter.ts';
import { el, setAttr, uniqueId } from './element.ts';

/** Suggestions offered under the topic field at most (20,000 options would be 20,000 elements). */
const MAX_SUGGESTIONS = 200;

const TIME_RANGES = [
  { value: 'all', label: 'All time', ms: null },
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 60 * 60_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  { value: 'custom', label: 'Custom…', ms: null },
] as const;

export interface FilterBarOptions {
  onChange(filter: EventFilter): void;
  now(): number;
}

function checkboxChip(name: string, value: string, label: string, onChange: () => void): { root: HTMLLabelElement; input: HTMLInputElement } {
  const input = el('input', { attrs: { type: 'checkbox', name, value }, on: { change: onChange } });
  return { root: el('label', { class: `chip chip-${value}` }, [input, label]), input };
}

/** `2026-11-25T14:40` (what datetime-local shows) to ms, or null when empty or invalid. */
function parseLocalTime(value: string): number | null {
  if (!value) return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : time;
}

export class FilterBar {
  readonly element: HTMLFormElement;
  readonly search: HTMLInputElement;
  readonly #topic: HTMLInputElement;
  readonly #topicError: HTMLSpanElement;
  readonly #topics: HTMLDataListElement;
  readonly #types: HTMLInputElement[] = [];
  readonly #levels: HTMLInputElement[] = [];
  readonly #range: HTMLSelectElement;
  readonly #from: HTMLInputElement;
  readonly #to: HTMLInputElement;
  readonly #custom: HTMLElement;
  readonly #options: FilterBarOptions;
  #server: string | null = null;
  #rangeFrom: number | null = null;
  #known: readonly string[] = [];
  #suggested = '';

  constructor(options: FilterBarOptions) {
    this.#options = options;
    const changed = (): void => this.#emit();
    this.search = el('input', {
      class: 'search',
      attrs: { type: 'search', id: uniqueId('search'), placeholder: 'Title, body, status…', autocomplete: 'off' },
      on: { input: changed, keydown: (e) => this.#clearOnEscape(e) },
    });
    const topicsId = uniqueId('topics');
    this.#topicError = el('span', { class: 'field-error', attrs: { id: uniqueId('topic-error'), 'aria-live': 'polite' } });
    this.#topic = el('input', {
      attrs: { type: 'text', id: uniqueId('topic'), list: topicsId, placeholder: 'All topics, or job/**', autocomplete: 'off', spellcheck: false },
      on: {
        input: () => {
          this.#server = null;
          this.#suggest();
          this.#emit();
        },
      },
    });
    setAttr(this.#topic, 'aria-describedby', this.#topicError.id);
    this.#topics = el('datalist', { attrs: { id: topicsId } });

    const typeChips = EVENT_TYPES.map((type) => {
      const chip = checkboxChip('type', type, type, changed);
      this.#types.push(chip.input);
      return chip.root;
    });
    const levelChips = EVENT_LEVELS.map((level) => {
      const chip = checkboxChip('level', level, `${LEVEL_ICON[level]} ${LEVEL_WORD[level]}`, changed);
      chip.root.classList.add(`level-${level}`);
      this.#levels.push(chip.input);
      return chip.root;
    });

    this.#range = el(
      'select',
      { attrs: { id: uniqueId('range') }, on: { change: () => this.#onRange() } },
      TIME_RANGES.map((r) => el('option', { text: r.label, attrs: { value: r.value } })),
    );
    this.#from = el('input', { attrs: { type: 'datetime-local', id: uniqueId('from') }, on: { change: changed } });
    this.#to = el('input', { attrs: { type: 'datetime-local', id: uniqueId('to') }, on: { change: changed } });
    this.#custom = el('span', { class: 'custom-range', attrs: { hidden: true } }, [
      el('label', { text: 'From', attrs: { for: this.#from.id } }),
      this.#from,
      el('label', { text: 'To', attrs: { for: this.#to.id } }),
      this.#to,
    ]);

    this.element = el(
      'form',
      { class: 'filter-bar', attrs: { role: 'search', 'aria-label': 'Filter events' }, on: { submit: (e) => e.preventDefault() } },
      [
        el('span', { class: 'field field-search' }, [el('label', { text: 'Search', attrs: { for: this.search.id } }), this.search]),
        el('span', { class: 'field field-topic' }, [
          el('label', { text: 'Topic', attrs: { for: this.#topic.id } }),
          this.#topic,
          this.#topics,
          this.#topicError,
        ]),
        el('fieldset', { class: 'chips' }, [el('legend', { text: 'Type' }), ...typeChips]),
        el('fieldset', { class: 'chips' }, [el('legend', { text: 'Level' }), ...levelChips]),
        el('span', { class: 'field field-range' }, [el('label', { text: 'Time', attrs: { for: this.#range.id } }), this.#range, this.#custom]),
        el('button', { text: 'Clear filters', attrs: { type: 'button' }, on: { click: () => this.clear() } }),
      ],
    );
  }

  /** Filter to one topic (of one server), as picking it in the side list does; null clears it. */
  setTopic(server: string | null, topic: string | null): void {
    this.#server = topic === null ? null : server;
    this.#topic.value = topic ?? '';
    this.#suggest();
    this.#emit();
  }

  /** Offer the known topics as suggestions: those holding what the topic field says, at most MAX_SUGGESTIONS. */
  setKnownTopics(topics: readonly string[]): void {
    this.#known = topics;
    this.#suggest();
  }

  #suggest(): void {
    const typed = this.#topic.value.trim().toLowerCase();
    const offered: string[] = [];
    for (const topic of this.#known) {
      if (typed === '' || topic.toLowerCase().includes(typed)) offered.push(topic);
      if (offered.length >= MAX_SUGGESTIONS) break;
    }
    const signature = offered.join('\n');
    if (signature === this.#suggested) return;
    this.#suggested = signature;
    this.#topics.replaceChildren(...offered.map((t) => el('option', { attrs: { value: t } })));
  }

  /** Show why the topic field is ignored, or nothing. */
  showTopicProblem(problem: string | null): void {
    this.#topicError.textContent = problem ?? '';
    setAttr(this.#topic, 'aria-invalid', problem !== null);
  }

  clear(): void {
    this.element.reset();
    this.#server = null;
    this.#rangeFrom = null;
    this.#custom.hidden = true;
    this.#suggest();
    this.#emit();
  }

  #clearOnEscape(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.search.value !== '') {
      this.search.value = '';
      event.preventDefault();
      this.#emit();
    }
  }

  #onRange(): void {
    const choice = TIME_RANGES.find((r) => r.value === this.#range.value) ?? TIME_RANGES[0];
    this.#custom.hidden = choice.value !== 'custom';
    // "Last hour" means the hour before it was chosen; live events are newer anyway.
    this.#rangeFrom = choice.ms === null ? null : this.#options.now() - choice.ms;
    this.#emit();
  }

  #emit(): void {
    const custom = this.#range.value === 'custom';
    const filter: EventFilter = {
      ...NO_FILTER,
      server: this.#server,
      topic: this.#topic.value.trim(),
      types: this.#types.filter((i) => i.checked).map((i) => i.value as EventType),
      levels: this.#levels.filter((i) => i.checked).map((i) => i.value as EventLevel),
      from: custom ? parseLocalTime(this.#from.value) : this.#rangeFrom,
      to: custom ? parseLocalTime(this.#to.value) : null,
      text: this.search.value,
    };
    this.#options.onChange(filter);
  }
}
