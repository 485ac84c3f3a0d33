// Topic names and subscription patterns (docs/protocol.md, "Subscribe").
// A topic is `[A-Za-z0-9_.-]+` segments joined by `/`. A pattern may also use `*`
// for exactly one segment and `**` (last segment only) for one or more segments.

import { HeraldError, describeValue } from './errors.ts';

export const MAX_TOPIC_LENGTH = 200;
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** Why `name` is not a valid topic, or null when it is. */
export function topicProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0) {
    return `expected a topic name, got ${describeValue(name)}`;
  }
  if (name.length > MAX_TOPIC_LENGTH) {
    return `expected a topic of at most ${MAX_TOPIC_LENGTH} characters, got ${name.length}`;
  }
  for (const segment of name.split('/')) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      return `expected a topic of [A-Za-z0-9_.-] segments joined by "/", got ${describeValue(name)}`;
    }
  }
  return null;
}

export function assertTopic(name: unknown): asserts name is string {
  const problem = topicProblem(name);
  if (problem) throw new HeraldError('bad_topic', problem);
}

export function isTopic(name: unknown): name is string {
  return topicProblem(name) === null;
}

/** A compiled subscription pattern. */
export interface TopicPattern {
  source: string;
  /** True when the pattern names exactly one topic (no wildcard). */
  exact: boolean;
  matches(topic: string): boolean;
}

/** Why `pattern` is not a valid subscription pattern, or null when it is. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0 || pattern.length > MAX_TOPIC_LENGTH) {
    return `expected a topic pattern of 1 to ${MAX_TOPIC_LENGTH} characters, got ${describeValue(pattern)}`;
  }
  const segments = pattern.split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '*') continue;
    if (segment === '**') {
      if (index !== segments.length - 1) {
        return `"**" may only be the last segment of a pattern, got ${describeValue(pattern)}`;
      }
      continue;
    }
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      return `expected a topic pattern of [A-Za-z0-9_.-], "*" or "**" segments joined by "/", got ${describeValue(pattern)}`;
    }
  }
  return null;
}

export function compilePattern(pattern: string): TopicPattern {
  const problem = patternProblem(pattern);
  if (problem) throw new HeraldError('bad_topic', problem);
  const segments = pattern.split('/');
  const exact = !segments.some((s) => s === '*' || s === '**');
  if (exact) return { source: pattern, exact, matches: (topic) => topic === pattern };
  const deep = segments[segments.length - 1] === '**';
  const fixed = deep ? segments.slice(0, -1) : segments;
  return {
    source: pattern,
    exact,
    matches(topic) {
      const parts = topic.split('/');
      if (deep ? parts.length <= fixed.length : parts.length !== fixed.length) return false;
      for (let i = 0; i < fixed.length; i++) {
        if (fixed[i] !== '*' && fixed[i] !== parts[i]) return false;
      }
      return true;
    },
  };
}

/** A set of patterns, as one `?topics=` list asks for. */
export class TopicFilter {
  readonly patterns: readonly TopicPattern[];

  constructor(patterns: readonly string[]) {
    if (patterns.length === 0) throw new HeraldError('bad_topic', 'expected at least one topic, got none');
    this.patterns = [...new Set(patterns)].map(compilePattern);
  }

  /** Parse `a,b,job/*` (the `topics` query parameter). */
  static parse(list: string | null | undefined): TopicFilter {
    const patterns = (list ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    return new TopicFilter(patterns);
  }

  matches(topic: string): boolean {
    return this.patterns.some((p) => p.matches(topic));
  }

  /** The exact topics named (patterns without wildcards). */
  get exactTopics(): string[] {
    return this.patterns.filter((p) => p.exact).map((p) => p.source);
  }

  /** True when every pattern names one topic, so the filter can end. */
  get allExact(): boolean {
    return this.patterns.every((p) => p.exact);
  }

  toString(): string {
    return this.patterns.map((p) => p.source).join(',');
  }
}
