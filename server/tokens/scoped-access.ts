// The Access (server/http/access.ts) of a named token: what its scopes
// (server/tokens/scopes.ts) allow. `admin` allows everything. A subscribe request is
// narrowed exactly: what a stream gets is its patterns' overlap with the scope
// (server/protocol/pattern-overlap.ts), so no topic outside the scope can reach it,
// whatever wildcard it asked with.

import type { Access } from '../http/access.ts';
import { patternCovers, patternOverlap } from '../protocol/pattern-overlap.ts';
import { compilePattern, patternProblem, type TopicPattern } from '../protocol/topics.ts';
import type { TokenScopes } from './scopes.ts';

export interface AccessGrant {
  name: string;
  scopes: TokenScopes;
  defaultTopic: string | null;
}

/** The part of `requested` inside `scope`; null when they share no topic. */
export function narrowPattern(scope: readonly string[], requested: string): string[] | null {
  if (scope.some((s) => patternCovers(s, requested))) return [requested];
  const parts = new Set<string>();
  for (const s of scope) {
    const overlap = patternOverlap(s, requested);
    if (overlap !== null) parts.add(overlap);
  }
  return parts.size === 0 ? null : [...parts];
}

export function scopedAccess(grant: AccessGrant): Access {
  const { scopes } = grant;
  const admin = scopes.admin;
  const publish: TopicPattern[] = scopes.publish.map(compilePattern);
  const valid = (pattern: string): boolean => patternProblem(pattern) === null;
  return {
    name: grant.name,
    isAdmin: admin,
    defaultTopic: grant.defaultTopic,
    mayPublish: (topic) => admin || publish.some((p) => p.matches(topic)),
    maySubscribe: (pattern) => admin || (valid(pattern) && scopes.subscribe.some((s) => patternCovers(s, pattern))),
    narrow(patterns) {
      if (admin) return { patterns: [...patterns], refused: [] };
      const allowed = new Set<string>();
      const refused: string[] = [];
      for (const pattern of patterns) {
        const parts = valid(pattern) ? narrowPattern(scopes.subscribe, pattern) : null;
        if (parts === null) refused.push(pattern);
        else for (const part of parts) allowed.add(part);
      }
      return { patterns: [...allowed], refused };
    },
    mayRunJob: (job) => admin || scopes.jobs.includes('*') || scopes.jobs.includes(job),
    grants: admin ? { publish: ['**'], subscribe: ['**'], jobs: ['*'], admin } : { publish: scopes.publish, subscribe: scopes.subscribe, jobs: scopes.jobs, admin },
  };
}
