// A history query as SQL. Every filter narrows with AND; results come newest first
// (by local arrival order), `limit` at a time, and `before` pages further back.

import type { EventType, Level } from '../../../server/protocol/events.ts';
import { HeraldError, describeValue } from '../../../server/protocol/errors.ts';
import { compilePattern } from '../../../server/protocol/topics.ts';

export interface HistoryQuery {
  serverId?: string;
  /** A topic, or a pattern (`job/*`, `job/**`). */
  topic?: string;
  type?: EventType | readonly EventType[];
  level?: Level | readonly Level[];
  /** Event time at or after (ms since the epoch). */
  from?: number;
  /** Event time before (ms since the epoch). */
  to?: number;
  /** Words that must all appear (as substrings, any case) in the topic, title or body. */
  text?: string;
  /** At most this many (default 100, at most 10,000). */
  limit?: number;
  /** Only entries older than this cursor (`HistoryPage.nextBefore`). */
  before?: number;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** The SQL function that applies a topic pattern exactly (GLOB only pre-filters). */
export const TOPIC_MATCH_FUNCTION = 'herald_topic_matches';

type SqlValue = string | number | null;

export interface SqlWhere {
  where: string;
  params: SqlValue[];
}

function oneOrMany<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** `"word"` as an FTS5 string: double quotes inside are doubled (https://sqlite.org/fts5.html#fts5_strings). */
function ftsPhrase(word: string): string {
  return `"${word.replaceAll('"', '""')}"`;
}

function likeContains(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function buildWhere(query: HistoryQuery): SqlWhere {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  if (query.serverId !== undefined) {
    clauses.push('server_id = ?');
    params.push(query.serverId);
  }
  if (query.topic !== undefined) {
    const pattern = compilePattern(query.topic);
    if (pattern.exact) {
      clauses.push('topic = ?');
      params.push(query.topic);
    } else {
      // GLOB with the pattern's fixed prefix can use the topic index; the function is exact.
      clauses.push(`topic GLOB ? AND ${TOPIC_MATCH_FUNCTION}(?, topic)`);
      params.push(query.topic.replace(/\*\*?/g, '*'), query.topic);
    }
  }
  for (const [column, value] of [['type', query.type], ['level', query.level]] as const) {
    if (value === undefined) continue;
    const list = oneOrMany<string>(value);
    clauses.push(`${column} IN (${list.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...list);
  }
  if (query.from !== undefined) {
    clauses.push('time >= ?');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    clauses.push('time < ?');
    params.push(query.to);
  }
  if (query.before !== undefined) {
    clauses.push('seq < ?');
    params.push(query.before);
  }
  const words = (query.text ?? '').split(/\s+/).filter((w) => w.length > 0);
  // The trigram index needs three characters; shorter words fall back to LIKE.
  const indexed = words.filter((w) => [...w].length >= 3);
  if (indexed.length > 0) {
    clauses.push('seq IN (SELECT rowid FROM history_text WHERE history_text MATCH ?)');
    params.push(indexed.map(ftsPhrase).join(' '));
  }
  for (const word of words.filter((w) => [...w].length < 3)) {
    clauses.push("(topic LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')");
    const like = likeContains(word);
    params.push(like, like, like);
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function effectiveLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new HeraldError('bad_request', `expected a history limit of 1 to ${MAX_LIMIT}, got ${describeValue(limit)}`);
  }
  return Math.min(limit, MAX_LIMIT);
}
