// Topic names, subscription patterns and the `?topics=` list: what is accepted, what
// is refused and with which message, and which topics a pattern matches.

import { describe, expect, it } from 'vitest';
import { HeraldError } from './errors.ts';
import { MAX_TOPIC_LENGTH, TopicFilter, assertTopic, compilePattern, isTopic, patternProblem, topicProblem } from './topics.ts';

const SEGMENTS_MESSAGE = (name: string) => `expected a topic of [A-Za-z0-9_.-] segments joined by "/", got ${JSON.stringify(name)}`;
const PATTERN_MESSAGE = (pattern: string) =>
  `expected a topic pattern of [A-Za-z0-9_.-], "*" or "**" segments joined by "/", got ${JSON.stringify(pattern)}`;

function thrown(action: () => unknown): HeraldError {
  try {
    action();
  } catch (error) {
    if (error instanceof HeraldError) return error;
    throw error;
  }
  throw new Error('expected a HeraldError, nothing was thrown');
}

describe('topic names', () => {
  it.each(['a', 'Z', '0', 'job/backup-1', 'a.b_c-D/E9/x', 'host/db.example.org', '...', '.hidden', 'a..b', '_/-'])('accepts %j', (name) => {
    expect(topicProblem(name)).toBeNull();
    expect(isTopic(name)).toBe(true);
    expect(() => assertTopic(name)).not.toThrow();
  });

  it(`accepts ${MAX_TOPIC_LENGTH} characters and refuses ${MAX_TOPIC_LENGTH + 1}, saying how long it was`, () => {
    expect(MAX_TOPIC_LENGTH).toBe(200);
    expect(topicProblem('a'.repeat(200))).toBeNull();
    expect(topicProblem(`${'a/'.repeat(99)}bb`)).toBeNull();
    expect(topicProblem('a'.repeat(201))).toBe('expected a topic of at most 200 characters, got 201');
    expect(topicProblem(`${'a/'.repeat(100)}b`)).toBe('expected a topic of at most 200 characters, got 201');
  });

  it.each([
    ['.', 'a lone dot'],
    ['..', 'a parent reference'],
    ['a/./b', 'a dot segment inside'],
    ['a/..', 'a trailing parent reference'],
    ['../a', 'a leading parent reference'],
  ])('refuses %j (%s): a topic is never a path that walks', (name) => {
    expect(topicProblem(name)).toBe(SEGMENTS_MESSAGE(name));
  });

  it.each(['/a', 'a/', 'a//b', '/'])('refuses the empty segment in %j', (name) => {
    expect(topicProblem(name)).toBe(SEGMENTS_MESSAGE(name));
  });

  it.each(['*', 'a/*', '**', 'job/**', 'a*b'])('refuses the wildcard in %j: only patterns may have one', (name) => {
    expect(topicProblem(name)).toBe(SEGMENTS_MESSAGE(name));
  });

  it.each(['a b', ' a', 'a\n', 'a:b', 'a?b', 'a,b', 'ä', 'a\\b', 'a%2Fb', 'a#b'])('refuses the character outside [A-Za-z0-9_.-/] in %j', (name) => {
    expect(topicProblem(name)).toBe(SEGMENTS_MESSAGE(name));
  });

  it('refuses anything but a non-empty string, describing what arrived', () => {
    expect(topicProblem('')).toBe('expected a topic name, got ""');
    expect(topicProblem(undefined)).toBe('expected a topic name, got nothing');
    expect(topicProblem(null)).toBe('expected a topic name, got null');
    expect(topicProblem(42)).toBe('expected a topic name, got 42');
    expect(topicProblem(['a'])).toBe('expected a topic name, got an array of 1');
    expect(topicProblem({ topic: 'a' })).toBe('expected a topic name, got an object');
    expect(isTopic(42)).toBe(false);
  });

  it('shows at most 40 characters of a refused name', () => {
    const name = `${'x'.repeat(45)} y`;
    expect(topicProblem(name)).toBe(SEGMENTS_MESSAGE(`${'x'.repeat(40)}…`));
  });

  it('assertTopic throws a bad_topic error (400) with the same message', () => {
    const error = thrown(() => assertTopic('a//b'));
    expect(error.code).toBe('bad_topic');
    expect(error.status).toBe(400);
    expect(error.message).toBe(SEGMENTS_MESSAGE('a//b'));
  });
});

describe('subscription patterns', () => {
  it.each(['a', 'a/b', '*', '**', 'a/*', '*/b', 'a/*/c', 'a/**', '*/**', '*/*', 'x.y/**'])('accepts %j', (pattern) => {
    expect(patternProblem(pattern)).toBeNull();
  });

  it(`accepts ${MAX_TOPIC_LENGTH} characters and refuses none or ${MAX_TOPIC_LENGTH + 1}`, () => {
    expect(patternProblem(`${'a'.repeat(197)}/**`)).toBeNull();
    const long = `${'a'.repeat(198)}/**`;
    expect(patternProblem(long)).toBe(`expected a topic pattern of 1 to 200 characters, got ${JSON.stringify(`${'a'.repeat(40)}…`)}`);
    expect(patternProblem('')).toBe('expected a topic pattern of 1 to 200 characters, got ""');
  });

  it.each(['**/a', 'a/**/b', '**/**'])('refuses "**" before the last segment in %j', (pattern) => {
    expect(patternProblem(pattern)).toBe(`"**" may only be the last segment of a pattern, got ${JSON.stringify(pattern)}`);
  });

  it.each(['.', '..', 'a/./b', 'a/../b', 'a//b', '/a', 'a/', 'a*', '*a', '***', 'a/b*', 'a b', 'a,b'])(
    'refuses %j, naming the segments a pattern may have',
    (pattern) => {
      expect(patternProblem(pattern)).toBe(PATTERN_MESSAGE(pattern));
    },
  );

  it('compilePattern throws a bad_topic error with the same message', () => {
    const error = thrown(() => compilePattern('a/**/b'));
    expect(error.code).toBe('bad_topic');
    expect(error.message).toBe('"**" may only be the last segment of a pattern, got "a/**/b"');
  });

  it('a pattern without wildcards is exact and matches only that topic', () => {
    const pattern = compilePattern('job/build');
    expect(pattern).toMatchObject({ source: 'job/build', exact: true });
    expect(pattern.matches('job/build')).toBe(true);
    for (const other of ['job', 'job/buil', 'job/builds', 'job/build/x', 'x/job/build']) expect(pattern.matches(other)).toBe(false);
  });

  it('"*" matches exactly one segment, in any position', () => {
    const last = compilePattern('job/*');
    expect(last).toMatchObject({ source: 'job/*', exact: false });
    expect(last.matches('job/a')).toBe(true);
    expect(last.matches('job/b.c')).toBe(true);
    for (const other of ['job', 'job/a/b', 'jobs/a', 'other/a']) expect(last.matches(other)).toBe(false);

    const middle = compilePattern('a/*/c');
    expect(middle.matches('a/x/c')).toBe(true);
    for (const other of ['a/x/d', 'b/x/c', 'a/c', 'a/x/y/c', 'a/x/c/d']) expect(middle.matches(other)).toBe(false);

    const alone = compilePattern('*');
    expect(alone.matches('a')).toBe(true);
    expect(alone.matches('a/b')).toBe(false);
  });

  it('"**" matches one or more trailing segments, never none', () => {
    const deep = compilePattern('job/**');
    expect(deep.exact).toBe(false);
    for (const topic of ['job/a', 'job/a/b', 'job/a/b/c']) expect(deep.matches(topic)).toBe(true);
    for (const other of ['job', 'jobs/a', 'other/job/a']) expect(deep.matches(other)).toBe(false);

    const everything = compilePattern('**');
    expect(everything.matches('a')).toBe(true);
    expect(everything.matches('a/b/c')).toBe(true);

    const both = compilePattern('*/x/**');
    expect(both.matches('a/x/b')).toBe(true);
    expect(both.matches('a/x/b/c')).toBe(true);
    for (const other of ['a/x', 'a/y/b', 'x/b']) expect(both.matches(other)).toBe(false);
  });
});

describe('TopicFilter: the ?topics= list', () => {
  it('parses a comma list, trimming spaces around each pattern', () => {
    expect(TopicFilter.parse('a,b,job/*').toString()).toBe('a,b,job/*');
    expect(TopicFilter.parse('a, b').toString()).toBe('a,b');
    expect(TopicFilter.parse(' a ,\tb ').toString()).toBe('a,b');
  });

  it('skips empty items: "a,,b", a trailing comma, an item of spaces', () => {
    expect(TopicFilter.parse('a,,b').toString()).toBe('a,b');
    expect(TopicFilter.parse('a,b,').toString()).toBe('a,b');
    expect(TopicFilter.parse(',a, ,b').toString()).toBe('a,b');
  });

  it('names each pattern once, in the order first given', () => {
    const filter = TopicFilter.parse('b,a,b,a');
    expect(filter.patterns.map((p) => p.source)).toEqual(['b', 'a']);
    expect(filter.toString()).toBe('b,a');
  });

  it.each([null, undefined, '', ',', ' , ,'])('refuses a list with no topic (%j)', (list) => {
    const error = thrown(() => TopicFilter.parse(list));
    expect(error.code).toBe('bad_topic');
    expect(error.message).toBe('expected at least one topic, got none');
  });

  it('refuses the whole list when one pattern is bad, naming that pattern', () => {
    const error = thrown(() => TopicFilter.parse('a,b c,d'));
    expect(error.code).toBe('bad_topic');
    expect(error.message).toBe(PATTERN_MESSAGE('b c'));
    expect(() => TopicFilter.parse('a,**/b')).toThrow('"**" may only be the last segment of a pattern, got "**/b"');
  });

  it('matches a topic any of its patterns matches', () => {
    const filter = TopicFilter.parse('a,job/*');
    expect(filter.matches('a')).toBe(true);
    expect(filter.matches('job/x')).toBe(true);
    expect(filter.matches('b')).toBe(false);
    expect(filter.matches('job/x/y')).toBe(false);
  });

  it('lists its exact topics and says whether every pattern is exact (only then can it end)', () => {
    const mixed = TopicFilter.parse('a,job/*,b');
    expect(mixed.exactTopics).toEqual(['a', 'b']);
    expect(mixed.allExact).toBe(false);
    const exact = TopicFilter.parse('a,b');
    expect(exact.exactTopics).toEqual(['a', 'b']);
    expect(exact.allExact).toBe(true);
    expect(TopicFilter.parse('job/**').exactTopics).toEqual([]);
  });
});
