// Reading and validating the config file. An invalid file stops start-up with
// every problem listed by its path (docs/configuration.md).

import { HeraldError } from '../protocol/errors.ts';
import type { HeraldConfig } from './config-types.ts';
import { configRuleProblems } from './config-rules.ts';
import { SchemaChecker, type SchemaNode } from '../protocol/schema-check.ts';
import schemaJson from './herald.config.schema.json' with { type: 'json' };
import { readTextFile } from './read-text-file.ts';

export const CONFIG_SCHEMA = schemaJson as SchemaNode;

/** The largest config file read, in bytes (1 MiB; real ones are a few KiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** What the schema's patterns mean, in words a user can act on. */
const PATTERN_WORDS: Record<string, string> = {
  '^[A-Za-z0-9_.-]+$': 'a name of letters, digits, "_", "." or "-"',
  '^https?://': 'an http:// or https:// URL',
  '^rediss?://': 'a redis:// or rediss:// URL',
  '^(/.*)?$': 'a JSON pointer such as "/price/usd" ("" for the whole body)',
};

const checker = new SchemaChecker(CONFIG_SCHEMA, { patternWords: PATTERN_WORDS });

/** Every problem with a parsed config, each as `path: expected X, got Y`; empty when valid. */
export function configProblems(value: unknown): string[] {
  return [...checker.problems(value).map((p) => p.message), ...configRuleProblems(value)];
}

/** `value` as a config, or a `bad_config` HeraldError listing every problem. */
export function validateConfig(value: unknown, source = 'config'): HeraldConfig {
  const problems = configProblems(value);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new HeraldError('bad_config', `${source} is invalid (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return value as HeraldConfig;
}

/** Read (a regular UTF-8 file of at most 1 MiB), parse and validate the config file at `path`. */
export async function loadConfig(path: string): Promise<HeraldConfig> {
  const text = await readTextFile(path, { what: 'config file', maxBytes: MAX_CONFIG_BYTES });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HeraldError('bad_config', `config file ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return validateConfig(parsed, `config file ${path}`);
}

/** What runs without a config file: the system source with its defaults. */
export function defaultConfig(): HeraldConfig {
  return { system: { enabled: true }, jobs: {}, probes: {} };
}
