// The search box narrows the side list too: to topics whose name, latest value or
// latest event holds every word, so a topic among 20,000 is found by typing part of
// its name. It reads the events' own search text (event-store.ts), which the event
// list's filter has just computed and cached, so a keystroke costs no new strings.

import { searchTextFor } from './event-store.ts';
import type { TopicEntry } from './topic-board.ts';

function matches(entry: TopicEntry, words: readonly string[]): boolean {
  const latest = searchTextFor(entry.last);
  const value = entry.valueEvent && entry.valueEvent !== entry.last ? searchTextFor(entry.valueEvent) : '';
  return words.every((word) => latest.includes(word) || value.includes(word));
}

/** The entries that match every word (all of them when there are none), in their order. */
export function topicsMatching(entries: readonly TopicEntry[], words: readonly string[]): readonly TopicEntry[] {
  return words.length === 0 ? entries : entries.filter((entry) => matches(entry, words));
}
