// The search box narrows the side list too: to topics whose name or latest value
// holds every word, so a topic among 20,000 is found by typing part of its name.

import type { StoredEvent } from './event-store.ts';
import { latestValueOf, type TopicEntry } from './topic-board.ts';

const searchTexts = new WeakMap<TopicEntry, { source: StoredEvent | null; end: unknown; text: string }>();

function searchTextOf(entry: TopicEntry): string {
  const cached = searchTexts.get(entry);
  if (cached && cached.source === entry.valueEvent && cached.end === entry.end) return cached.text;
  const text = `${entry.topic}\n${latestValueOf(entry)}`.toLowerCase();
  searchTexts.set(entry, { source: entry.valueEvent, end: entry.end, text });
  return text;
}

/** The entries that match every word (all of them when there are none), in their order. */
export function topicsMatching(entries: readonly TopicEntry[], words: readonly string[]): readonly TopicEntry[] {
  if (words.length === 0) return entries;
  return entries.filter((entry) => {
    const text = searchTextOf(entry);
    return words.every((word) => text.includes(word));
  });
}
