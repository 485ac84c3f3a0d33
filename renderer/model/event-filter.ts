// The filters above the list: topic (a name or a subscription pattern such as
// `job/**`), event type, level, time range and free text. Compiled once into a
// predicate so that re-filtering 100,000 events is one pass of cheap tests.

import type { EventType } from '../../server/protocol/events.ts';
import { compilePattern, patternProblem } from '../../server/protocol/topics.ts';
import type { EventLevel } from '../../server/protocol/event-vocabulary.ts';
import { searchTextFor, type StoredEvent } from './event-store.ts';

export interface EventFilter {
  /** A server id, when a topic of one server was picked in the side list. */
  server: string | null;
  /** A topic or pattern; empty means every topic. */
  topic: string;
  /** Empty means every type. */
  types: readonly EventType[];
  /** Empty means every level. */
  levels: readonly EventLevel[];
  /** Inclusive bounds on the event's time, ms since the epoch. */
  from: number | null;
  to: number | null;
  text: string;
}

export const NO_FILTER: EventFilter = { server: null, topic: '', types: [], levels: [], from: null, to: null, text: '' };

export interface CompiledFilter {
  matches(stored: StoredEvent): boolean;
  /** Why the topic field cannot be used (it is then ignored), or null. */
  topicProblem: string | null;
  /** True when nothing is filtered out. */
  isEmpty: boolean;
}

/** The search box's words, lower-cased: every one must appear, in any order. */
export function searchWords(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
}

export function compileFilter(filter: EventFilter): CompiledFilter {
  const tests: Array<(stored: StoredEvent) => boolean> = [];
  let topicProblem: string | null = null;

  const topic = filter.topic.trim();
  if (topic !== '') {
    topicProblem = patternProblem(topic);
    if (topicProblem === null) {
      const pattern = compilePattern(topic);
      tests.push((s) => pattern.matches(s.event.data.topic));
    }
  }
  if (filter.server !== null) {
    const server = filter.server;
    tests.push((s) => s.server === server);
  }
  if (filter.types.length > 0) {
    const types = new Set<string>(filter.types);
    tests.push((s) => types.has(s.event.type));
  }
  if (filter.levels.length > 0) {
    const levels = new Set<string>(filter.levels);
    tests.push((s) => levels.has(s.level));
  }
  if (filter.from !== null) {
    const from = filter.from;
    tests.push((s) => s.event.data.time >= from);
  }
  if (filter.to !== null) {
    const to = filter.to;
    tests.push((s) => s.event.data.time <= to);
  }
  const words = searchWords(filter.text);
  if (words.length > 0) {
    // Every word must appear, in any order: "build failed" finds "failed: build 12".
    tests.push((s) => {
      const text = searchTextFor(s);
      return words.every((w) => text.includes(w));
    });
  }

  return {
    topicProblem,
    isEmpty: tests.length === 0,
    matches: (stored) => {
      for (const test of tests) if (!test(stored)) return false;
      return true;
    },
  };
}
