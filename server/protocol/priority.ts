// A message's priority as people and tools write it: 1 (min) to 5 (max), or the
// names ntfy uses (min, low, default, high, max, urgent). Read by Herald's publish
// route, the webhooks and the desktop's plain SSE templates. Free of Node APIs.

import { HeraldError, describeValue } from './errors.ts';

const PRIORITY_NAMES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 };
export const DEFAULT_PRIORITY = 3;

/** 1-5, or min/low/default/high/max/urgent, as a number or a string; throws HeraldError (bad_request) otherwise. */
export function parsePriority(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_PRIORITY;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 5) return raw;
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (/^[1-5]$/.test(text)) return Number(text);
    const named = PRIORITY_NAMES[text];
    if (named !== undefined) return named;
  }
  throw new HeraldError('bad_request', `expected a priority of 1 to 5 or min, low, default, high, max, urgent; got ${describeValue(raw)}`);
}
