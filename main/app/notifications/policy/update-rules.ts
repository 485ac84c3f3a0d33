// When an `update` notifies. Updates are the chatty type (a ticker sends many), so
// they notify only when a rule the user wrote matches: a topic (or pattern), a status
// field that changed, and optionally the value it changed to.

import type { UpdateData } from '../../../../server/protocol/events.ts';
import { compilePattern, type TopicPattern } from '../../../../server/protocol/topics.ts';
import type { UpdateRule } from '../../settings/settings-schema.ts';

export interface CompiledRule {
  rule: UpdateRule;
  pattern: TopicPattern;
}

export function compileRules(rules: readonly UpdateRule[]): CompiledRule[] {
  return rules.map((rule) => ({ rule, pattern: compilePattern(rule.topic) }));
}

/**
 * Did `field` change in this update? The server lists changed keys in `changed`;
 * without it, compare with the previous status this client saw (none seen counts
 * as a change: the server only sends an update when the status changed).
 */
function fieldChanged(data: UpdateData, field: string, previous: Record<string, unknown> | undefined): boolean {
  if (data.changed) return data.changed.includes(field);
  if (!previous) return true;
  return JSON.stringify(previous[field]) !== JSON.stringify(data.status[field]);
}

/** The first rule this update satisfies, or null. */
export function matchUpdateRule(
  rules: readonly CompiledRule[],
  data: UpdateData,
  previous: Record<string, unknown> | undefined,
): UpdateRule | null {
  for (const { rule, pattern } of rules) {
    if (!pattern.matches(data.topic)) continue;
    if (rule.field === '') return rule;
    if (!(rule.field in data.status) || !fieldChanged(data, rule.field, previous)) continue;
    if (rule.equals === null || data.status[rule.field] === rule.equals) return rule;
  }
  return null;
}
