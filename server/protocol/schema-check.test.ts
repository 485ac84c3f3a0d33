// The schema checker on its own: each keyword's message says what was expected and
// what arrived, a keyword applies only to values of its own type (JSON Schema), and
// an unknown key gets a "did you mean" only when a known one is close.

import { describe, expect, it } from 'vitest';
import { SchemaChecker, SUPPORTED_KEYWORDS, type SchemaNode, childPath } from './schema-check.ts';

function messages(schema: SchemaNode, value: unknown): string[] {
  return new SchemaChecker(schema).problems(value).map((p) => p.message);
}

describe('paths', () => {
  it('writes an index in brackets and quotes a key that is not a plain name', () => {
    expect(childPath('', 0)).toBe('[0]');
    expect(childPath('servers', 2)).toBe('servers[2]');
    expect(childPath('', 'jobs')).toBe('jobs');
    expect(childPath('jobs', 'backup')).toBe('jobs.backup');
    expect(childPath('probes', 'my probe')).toBe('probes["my probe"]');
    expect(childPath('probes', '0')).toBe('probes["0"]');
  });
});

describe('types', () => {
  it('refuses a string, an array and null where an object is expected', () => {
    const schema: SchemaNode = { type: 'object', additionalProperties: false };
    expect(messages(schema, 'ab')).toEqual(['(top level): expected an object, got "ab"']);
    expect(messages(schema, [1])).toEqual(['(top level): expected an object, got an array of 1']);
    expect(messages(schema, null)).toEqual(['(top level): expected an object, got null']);
  });

  it('refuses a number too large for a double (JSON 1e999 parses to Infinity) and NaN', () => {
    const schema: SchemaNode = { type: 'object', properties: { port: { type: 'number' }, count: { type: 'integer' } } };
    expect(messages(schema, JSON.parse('{"port": 1e999, "count": -1e999}'))).toEqual([
      'port: expected a number, got Infinity',
      'count: expected a whole number, got -Infinity',
    ]);
    expect(messages({ type: 'number' }, Number.NaN)).toEqual(['(top level): expected a number, got NaN']);
    expect(messages({ type: 'integer' }, '3')).toEqual(['(top level): expected a whole number, got "3"']);
  });

  it('names every allowed type, joined by "or"', () => {
    expect(messages({ type: ['integer', 'null'] }, 'x')).toEqual(['(top level): expected a whole number or null, got "x"']);
  });

  it('accepts any value where a property has no type, and calls it "a value" when it is missing', () => {
    const schema: SchemaNode = { type: 'object', properties: { note: {} }, required: ['note', 'other'] };
    for (const note of ['x', 1, null, [1], { a: 1 }, true]) expect(messages(schema, { note, other: 1 })).toEqual([]);
    expect(messages(schema, {})).toEqual(['note: expected a value, got nothing', 'other: expected a value, got nothing']);
  });
});

describe('a keyword applies only to values of its type', () => {
  it('leaves a string alone under minimum, a number under pattern, and a string under items', () => {
    expect(messages({ minimum: 5 }, '3')).toEqual([]);
    expect(messages({ pattern: '^a' }, 5)).toEqual([]);
    expect(messages({ items: { type: 'string' } }, 'ab')).toEqual([]);
    expect(messages({ minItems: 2 }, 'a')).toEqual([]);
  });
});

describe('numbers', () => {
  it('accepts a number at its minimum and refuses one below it', () => {
    expect(messages({ type: 'integer', minimum: 1 }, 1)).toEqual([]);
    expect(messages({ type: 'integer', minimum: 1 }, 0)).toEqual(['(top level): expected a whole number of at least 1, got 0']);
    expect(messages({ type: 'number', minimum: 0.5 }, 0.5)).toEqual([]);
  });
});

describe('enum', () => {
  it('accepts each listed value, and refuses another by listing them all', () => {
    const schema: SchemaNode = { enum: ['GET', 'HEAD'] };
    expect(messages(schema, 'GET')).toEqual([]);
    expect(messages(schema, 'HEAD')).toEqual([]);
    expect(messages(schema, 'POST')).toEqual(['(top level): expected one of "GET", "HEAD", got "POST"']);
  });

  it('compares strictly: the string "1" is not the number 1', () => {
    expect(messages({ enum: [1, 2] }, '1')).toEqual(['(top level): expected one of 1, 2, got "1"']);
    expect(messages({ enum: [1, 2] }, 2)).toEqual([]);
  });
});

describe('keywords', () => {
  it('lists the annotations (title, description, default) as supported, and they change no check', () => {
    const annotated: SchemaNode = { type: 'integer', minimum: 1, title: 'Port', description: 'where it listens', default: 8080 };
    expect(Object.keys(annotated).filter((key) => !SUPPORTED_KEYWORDS.has(key))).toEqual([]);
    expect(messages(annotated, 0)).toEqual(messages({ type: 'integer', minimum: 1 }, 0));
  });
});

describe('strings', () => {
  it('asks for a non-empty string, or for at least N characters', () => {
    expect(messages({ type: 'string', minLength: 1 }, '')).toEqual(['(top level): expected a non-empty string, got ""']);
    expect(messages({ type: 'string', minLength: 3 }, 'ab')).toEqual(['(top level): expected at least 3 characters, got "ab"']);
    expect(messages({ type: 'string', minLength: 3 }, 'abc')).toEqual([]);
  });

  it('gives the length, not the value, of a string over maxLength, and accepts one at it', () => {
    expect(messages({ type: 'string', maxLength: 5 }, 'abcdefg')).toEqual(['(top level): expected at most 5 characters, got 7 characters']);
    expect(messages({ type: 'string', maxLength: 5 }, 'abcde')).toEqual([]);
  });

  it('shows a pattern with no words for it as the pattern itself', () => {
    expect(messages({ type: 'string', pattern: '^[a-z]+$' }, 'A1')).toEqual(['(top level): expected a string matching /^[a-z]+$/, got "A1"']);
  });

  it('says a pattern in the words given for it, and describes what arrived as they say', () => {
    const checker = new SchemaChecker({ type: 'string', pattern: '^[a-z]+$' }, {
      patternWords: { '^[a-z]+$': { expected: 'a name of lower-case letters', got: (value) => `${value.length} characters, not all lower-case letters` } },
    });
    expect(checker.problems('Ab1').map((p) => p.message)).toEqual(['(top level): expected a name of lower-case letters, got 3 characters, not all lower-case letters']);
    const words = new SchemaChecker({ type: 'string', pattern: '^[a-z]+$' }, { patternWords: { '^[a-z]+$': 'a lower-case name' } });
    expect(words.problems('A').map((p) => p.message)).toEqual(['(top level): expected a lower-case name, got "A"']);
  });

  it('matches a pattern by code points, so an emoji is one character', () => {
    const schema: SchemaNode = { type: 'string', pattern: '^.{1,3}$' };
    expect(messages(schema, '😀😀😀')).toEqual([]);
    expect(messages(schema, '😀😀😀😀')).toEqual(['(top level): expected a string matching /^.{1,3}$/, got "😀😀😀😀"']);
  });
});

describe('arrays', () => {
  it('takes an array of any length when no length is set, checking each item', () => {
    const schema: SchemaNode = { type: 'array' };
    expect(messages(schema, [])).toEqual([]);
    expect(messages(schema, [1, 'a', null])).toEqual([]);
    expect(messages(schema, 'a')).toEqual(['(top level): expected an array, got "a"']);
    expect(messages({ type: 'array', items: { type: 'number' } }, [1, 'a'])).toEqual(['[1]: expected a number, got "a"']);
  });

  it('says "at least" and "at most" for a bounded length, and takes any length within it', () => {
    const schema: SchemaNode = { type: 'array', minItems: 1, maxItems: 3 };
    expect(messages(schema, [])).toEqual(['(top level): expected an array of at least 1 items, got an array of 0']);
    expect(messages(schema, [1, 2, 3, 4])).toEqual(['(top level): expected an array of at most 3 items, got an array of 4']);
    expect(messages(schema, [1, 2, 3])).toEqual([]);
    expect(messages({ type: 'array', minItems: 1 }, [1, 2, 3, 4, 5])).toEqual([]);
    expect(messages({ type: 'array', minItems: 1 }, 'a')).toEqual(['(top level): expected an array, got "a"']);
  });

  it('names a fixed length with the item type, and the slots its description lists', () => {
    expect(messages({ type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } }, [1])).toEqual([
      '(top level): expected an array of 2 numbers, got an array of 1',
    ]);
    expect(messages({ type: 'array', minItems: 2, maxItems: 2 }, [1])).toEqual(['(top level): expected an array of 2 items, got an array of 1']);
    const slots: SchemaNode = { type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer' }, description: '[warn, critical]' };
    expect(messages(slots, 'x')).toEqual(['(top level): expected an array of 2 whole numbers [warn, critical], got "x"']);
    const prose: SchemaNode = { type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer' }, description: 'Warn and critical.' };
    expect(messages(prose, 'x')).toEqual(['(top level): expected an array of 2 whole numbers, got "x"']);
  });

  it('keeps the fixed length when the array is one of several types', () => {
    const schema: SchemaNode = { type: ['null', 'array'], minItems: 2, maxItems: 2, items: { type: 'number' } };
    expect(messages(schema, 'x')).toEqual(['(top level): expected null or an array of 2 numbers, got "x"']);
    expect(messages(schema, null)).toEqual([]);
  });
});

describe('unknown keys', () => {
  const schema: SchemaNode = {
    type: 'object',
    properties: { host: {}, port: {}, enabled: {} },
    additionalProperties: false,
  };

  it('suggests a known key two edits away from a short one', () => {
    const [problem] = new SchemaChecker(schema).problems({ prot: 1 });
    expect(problem).toEqual({ path: 'prot', expected: '"port"', got: '"prot"', message: 'prot: unknown key; did you mean "port"?' });
  });

  it('suggests the first of two known keys equally close', () => {
    expect(messages(schema, { hort: 1 })).toEqual(['hort: unknown key; did you mean "host"?']);
  });

  it('counts the last letter of the typo, and does not let a known key start anywhere', () => {
    expect(messages(schema, { abled: 1 })).toEqual(['abled: unknown key; did you mean "enabled"?']);
    expect(messages(schema, { led: 1 })).toEqual(['led: unknown key; expected one of host, port, enabled']);
  });

  it('lists the known keys when none is close', () => {
    const [problem] = new SchemaChecker(schema).problems({ zzzz: 1 });
    expect(problem).toEqual({ path: 'zzzz', expected: 'one of host, port, enabled', got: '"zzzz"', message: 'zzzz: unknown key; expected one of host, port, enabled' });
  });

  it('accepts any other key when additionalProperties is not set', () => {
    expect(messages({ type: 'object', properties: { host: { type: 'string' } } }, { host: 'h', other: 1 })).toEqual([]);
  });
});

describe('$ref', () => {
  it('refuses a $ref that names no $defs entry, saying which, whether or not the schema has $defs', () => {
    const message = 'schema $ref #/$defs/port does not name an entry of $defs';
    expect(() => messages({ $ref: '#/$defs/port' }, 1)).toThrow(message);
    expect(() => messages({ $defs: { host: { type: 'string' } }, $ref: '#/$defs/port' }, 1)).toThrow(message);
  });

  it('checks a value against the $defs entry a $ref names', () => {
    const schema: SchemaNode = { $defs: { port: { type: 'integer', minimum: 1 } }, type: 'object', properties: { port: { $ref: '#/$defs/port' } } };
    expect(messages(schema, { port: 0 })).toEqual(['port: expected a whole number of at least 1, got 0']);
  });
});
