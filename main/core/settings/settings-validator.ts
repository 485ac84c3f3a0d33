// Explains why a settings object is wrong, by path: `servers[0].url: expected a URL
// starting with http:// or https://, got "ftp://x"`. The schema part is the checker
// the config file uses too (server/protocol/schema-check.ts); the semantic checks
// cover what JSON Schema cannot say (valid topic patterns, parseable URLs, unique
// server ids). Node-free, so the renderer's settings form can call it too.

import { describeValue } from '../../../server/protocol/errors.ts';
import { SchemaChecker, type SchemaProblem } from '../../../server/protocol/schema-check.ts';
import { patternProblem } from '../../../server/protocol/topics.ts';
import { settingsPatternWords, settingsSchema, type Settings } from './settings-schema.ts';

/** One problem: its path (`servers[0].url`, empty for the root), what was expected, what arrived. */
export type SettingsProblem = SchemaProblem;

export type SettingsValidation = { ok: true; settings: Settings } | { ok: false; problems: SettingsProblem[] };

function problem(path: string, expected: string, value: unknown): SettingsProblem {
  const got = describeValue(value);
  return { path, expected, got, message: `${path || 'settings'}: expected ${expected}, got ${got}` };
}

const checker = new SchemaChecker(settingsSchema, { rootName: 'settings', patternWords: settingsPatternWords });

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
  const problems = checker.problems(value);
  if (problems.length > 0) return { ok: false, problems };
  const settings = value as Settings;
  const semantic = semanticProblems(settings);
  return semantic.length > 0 ? { ok: false, problems: semantic } : { ok: true, settings };
}

/** Defaults under what was given, one level deep (the shape conf / electron-store produce). */
export function withDefaults(partial: Partial<Settings>, defaults: Settings): Settings {
  return { ...structuredClone(defaults), ...partial };
}
