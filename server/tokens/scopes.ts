// What a named token may do (docs/security.md, "Tokens and scopes"): publish to some
// topic patterns, subscribe to some, start and cancel some jobs, or everything
// (`admin`). Written as scope strings, `publish:ci/**,deploy/*`, `subscribe:ci/**`,
// `jobs:backup,deploy` (`jobs:*` for every job) and `admin`; stored as the parsed
// lists. Parsing refuses anything it does not know, saying what was expected, so a
// typo never grants more (or less) than was meant.

import { patternProblem } from '../protocol/topics.ts';
import { describeValue } from '../protocol/errors.ts';

export interface TokenScopes {
  /** Topic patterns the token may publish to. */
  publish: string[];
  /** Topic patterns the token may read (streams, /topics, job runs' output). */
  subscribe: string[];
  /** Jobs the token may start and cancel; `*` is every job. */
  jobs: string[];
  admin: boolean;
}

export const SCOPE_KINDS = ['publish', 'subscribe', 'jobs', 'admin'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

const JOB_NAME = /^[A-Za-z0-9_.-]+$/;
/** Patterns or names one scope may list at most. */
export const MAX_SCOPE_ENTRIES = 100;

export class ScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopeError';
  }
}

export function emptyScopes(): TokenScopes {
  return { publish: [], subscribe: [], jobs: [], admin: false };
}

/** Why `name` cannot be a job entry of a jobs scope, or null. */
function jobProblem(name: string): string | null {
  // `.` and `..` match the characters but are no job's name: a job's topic
  // `job/<name>/<run>` refuses them as segments.
  if (name === '*' || (JOB_NAME.test(name) && name !== '.' && name !== '..')) return null;
  return `expected a job name of [A-Za-z0-9_.-] other than . and .. (or * for every job), got ${describeValue(name)}`;
}

/** The entries of a comma-separated list, each checked; throws ScopeError naming the scope. */
export function scopeEntries(kind: Exclude<ScopeKind, 'admin'>, list: string): string[] {
  const entries = list.split(',').map((s) => s.trim());
  if (entries.some((e) => e === '')) {
    throw new ScopeError(`${kind}: expected a comma-separated list of ${kind === 'jobs' ? 'job names' : 'topic patterns'} with no empty entry, got ${describeValue(list)}`);
  }
  if (entries.length > MAX_SCOPE_ENTRIES) throw new ScopeError(`${kind}: expected at most ${MAX_SCOPE_ENTRIES} entries, got ${entries.length}`);
  for (const entry of entries) {
    const problem = kind === 'jobs' ? jobProblem(entry) : patternProblem(entry);
    if (problem) throw new ScopeError(`${kind}: ${problem}`);
  }
  return [...new Set(entries)];
}

/** Add one scope string (`publish:a/*,b`, `admin`, ...) to `into`; throws ScopeError. */
export function addScope(into: TokenScopes, scope: string): TokenScopes {
  const colon = scope.indexOf(':');
  const kind = (colon < 0 ? scope : scope.slice(0, colon)).trim();
  if (kind === 'admin') {
    if (colon >= 0) throw new ScopeError(`admin: expected "admin" alone (it covers everything), got ${describeValue(scope)}`);
    into.admin = true;
    return into;
  }
  if (kind !== 'publish' && kind !== 'subscribe' && kind !== 'jobs') {
    throw new ScopeError(`expected a scope publish:PATTERNS, subscribe:PATTERNS, jobs:NAMES or admin, got ${describeValue(scope)}`);
  }
  if (colon < 0) throw new ScopeError(`${kind}: expected "${kind}:" followed by what it allows, got ${describeValue(scope)}`);
  into[kind] = [...new Set([...into[kind], ...scopeEntries(kind, scope.slice(colon + 1))])];
  return into;
}

/** Parse scope strings into one set of scopes; at least one scope must grant something. */
export function parseScopes(scopes: readonly string[]): TokenScopes {
  const parsed = emptyScopes();
  for (const scope of scopes) addScope(parsed, scope);
  if (!hasAnyScope(parsed)) {
    throw new ScopeError('expected at least one scope (publish:PATTERNS, subscribe:PATTERNS, jobs:NAMES or admin), got none: such a token could do nothing');
  }
  return parsed;
}

export function hasAnyScope(scopes: TokenScopes): boolean {
  return scopes.admin || scopes.publish.length > 0 || scopes.subscribe.length > 0 || scopes.jobs.length > 0;
}

/** The scope strings that parse back to `scopes` (for listings). */
export function formatScopes(scopes: TokenScopes): string[] {
  const out: string[] = [];
  if (scopes.admin) out.push('admin');
  if (scopes.publish.length > 0) out.push(`publish:${scopes.publish.join(',')}`);
  if (scopes.subscribe.length > 0) out.push(`subscribe:${scopes.subscribe.join(',')}`);
  if (scopes.jobs.length > 0) out.push(`jobs:${scopes.jobs.join(',')}`);
  return out;
}

/** Scopes read back from storage (JSON): checked again, since storage is outside this process. */
export function scopesFromJson(value: unknown): TokenScopes {
  const record = (value ?? {}) as Partial<Record<keyof TokenScopes, unknown>>;
  const list = (kind: 'publish' | 'subscribe' | 'jobs'): string[] => {
    const entries = record[kind];
    if (entries === undefined) return [];
    if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'string')) throw new ScopeError(`${kind}: expected a list of strings, got ${describeValue(entries)}`);
    return entries.length === 0 ? [] : scopeEntries(kind, entries.join(','));
  };
  return { publish: list('publish'), subscribe: list('subscribe'), jobs: list('jobs'), admin: record.admin === true };
}
