// Explains why a settings object is wrong, by path: `servers[0].url: expected a
// string starting with http:// or https://, got "ftp://x"`. The schema check covers
// the keywords of json-schema.ts; the semantic checks cover what JSON Schema cannot
// say (valid topic patterns, parseable URLs, unique server ids). Node-free, so the
// renderer's settings form can call it too.

import { describeValue } from '../../../server/protocol/errors.ts';
import { patternProblem } from '../../../server/protocol/topics.ts';
import { TOKEN_PATTERN, tokenFormatProblem } from '../../../server/protocol/token-format.ts';
import type { JsonSchema, JsonType } from './json-schema.ts';
import { settingsSchema, type Settings } from './settings-schema.ts';

export interface SettingsProblem {
  /** `servers[0].url`; empty for the root. */
  path: string;
  expected: string;
  got: string;
  /** `path: expected X, got Y`. */
  message: string;
}

export type SettingsValidation = { ok: true; settings: Settings } | { ok: false; problems: SettingsProblem[] };

function problem(path: string, expected: string, value: unknown): SettingsProblem {
  const got = describeValue(value);
  return { path, expected, got, message: `${path || 'settings'}: expected ${expected}, got ${got}` };
}

function jsonTypeOf(value: unknown): JsonType | 'undefined' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isFinite(value) ? 'number' : 'other';
    case 'object':
      return 'object';
    case 'undefined':
      return 'undefined';
    default:
      return 'other';
  }
}

function typeMatches(expected: JsonType, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  if (expected === 'integer') return actual === 'number' && Number.isInteger(value);
  return actual === expected;
}

const ARTICLE: Record<JsonType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function describeSchemaValue(schema: JsonSchema): string {
  if (schema.pattern === '^https?://') return 'a URL starting with http:// or https://';
  if (schema.pattern?.includes('[0-5][0-9]')) return 'a time of day as HH:MM';
  // A token that breaks its pattern is described by tokenFormatProblem; missing, it is a string.
  if (schema.pattern === TOKEN_PATTERN) return 'a string';
  if (schema.pattern) return `a string matching ${schema.pattern}`;
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.map((t) => ARTICLE[t]).join(' or ') || 'a value';
}

/**
 * `servers[0].url`; a key that is not a plain name is quoted, `rules["a b"]`, so a
 * path is never empty, ambiguous or broken over lines (found by fuzzing).
 */
function childPath(parent: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Every way `value` breaks `schema`, with paths under `path`. */
export function schemaProblems(schema: JsonSchema, value: unknown, path = ''): SettingsProblem[] {
  const types = schema.type === undefined ? null : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types && !types.some((t) => typeMatches(t, value))) {
    return [problem(path, types.map((t) => ARTICLE[t]).join(' or '), value)];
  }
  const problems: SettingsProblem[] = [];
  if (schema.enum && !schema.enum.includes(value as never)) {
    problems.push(problem(path, `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`, value));
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      problems.push(problem(path, `a number of at least ${schema.minimum}`, value));
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      problems.push(problem(path, `a number of at most ${schema.maximum}`, value));
    }
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      problems.push(problem(path, schema.minLength === 1 ? 'a non-empty string' : `at least ${schema.minLength} characters`, value));
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      problems.push(problem(path, `at most ${schema.maxLength} characters`, `${value.length} characters`));
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      // A token is a secret: say what is wrong with it without showing it.
      const token = schema.pattern === TOKEN_PATTERN ? tokenFormatProblem(value) : null;
      if (token) problems.push({ path, ...token, message: `${path}: expected ${token.expected}, got ${token.got}` });
      else problems.push(problem(path, describeSchemaValue(schema), value));
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      problems.push(problem(path, `at most ${schema.maxItems} items`, value));
    }
    if (schema.items) {
      const itemSchema = schema.items;
      value.forEach((item, index) => problems.push(...schemaProblems(itemSchema, item, `${path}[${index}]`)));
    }
  }
  if (jsonTypeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    // Own properties only: `constructor` or `__proto__` must not find Object.prototype
    // and pass as a known setting (found by test/fuzz-settings.test.ts).
    const propertyOf = (key: string) => (schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined);
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(record, key)) {
        const wanted = propertyOf(key);
        problems.push(problem(childPath(path, key), wanted ? describeSchemaValue(wanted) : 'a value', undefined));
      }
    }
    for (const [key, child] of Object.entries(record)) {
      const childSchema = propertyOf(key);
      if (childSchema) problems.push(...schemaProblems(childSchema, child, childPath(path, key)));
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {}).join(', ');
        problems.push(problem(childPath(path, key), `no such setting (known: ${known})`, child));
      }
    }
  }
  return problems;
}

/** What JSON Schema cannot say about a schema-valid settings object. */
function semanticProblems(settings: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const checkPattern = (topic: string, path: string) => {
    const why = patternProblem(topic);
    if (why) problems.push({ ...problem(path, 'a topic or pattern', topic), message: `${path}: ${why}` });
  };
  const seenIds = new Set<string>();
  settings.servers.forEach((server, index) => {
    if (seenIds.has(server.id)) {
      problems.push(problem(`servers[${index}].id`, 'an id no other server uses', server.id));
    }
    seenIds.add(server.id);
    if (!URL.canParse(server.url)) problems.push(problem(`servers[${index}].url`, 'a valid URL', server.url));
    server.topics.forEach((topic, t) => checkPattern(topic, `servers[${index}].topics[${t}]`));
  });
  settings.mutedTopics.forEach((topic, i) => checkPattern(topic, `mutedTopics[${i}]`));
  settings.rules.forEach((rule, i) => checkPattern(rule.topic, `rules[${i}].topic`));
  return problems;
}

/** Check a whole settings object (after defaults were applied). */
export function validateSettings(value: unknown): SettingsValidation {
  const problems = schemaProblems(settingsSchema, value);
  if (problems.length > 0) return { ok: false, problems };
  const settings = value as Settings;
  const semantic = semanticProblems(settings);
  return semantic.length > 0 ? { ok: false, problems: semantic } : { ok: true, settings };
}

/** Defaults under what was given, one level deep (the shape conf / electron-store produce). */
export function withDefaults(partial: Partial<Settings>, defaults: Settings): Settings {
  return { ...structuredClone(defaults), ...partial };
}
