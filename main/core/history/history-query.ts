// A history query as SQL. Every filter narrows with AND; results come newest first
// (by local arrival order), `limit` at a time, and `before` pages further back.

import type { EventType } from '../../../server/protocol/events.ts';
import type { EventLevel } from '../../../server/protocol/event-vocabulary.ts';
import { HeraldError, describeValue } from '../../../server/protocol/errors.ts';
import { compilePattern } from '../../../server/protocol/topics.ts';

export interface HistoryQuery {
  serverId?: string;
  /** A topic, or a pattern (`job/*`, `job/**`). */
  topic?: string;
  type?: EventType | readonly EventType[];
  level?: EventLevel | readonly EventLevel[];
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

export type SqlValue = string | number | null;

/** A query's conditions: plain SQL on `history` columns, and the full-text part apart. */
export interface HistoryFilter {
  clauses: string[];
  params: SqlValue[];
  /** An FTS5 query for the words of three or more characters, or null. */
  match: string | null;
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

/** Columns are qualified (`history.topic`): the full-text table has columns of the same names. */
export function buildFilter(query: HistoryQuery): HistoryFilter {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  if (query.serverId !== undefined) {
    clauses.push('history.server_id = ?');
    params.push(query.serverId);
  }
  if (query.topic !== undefined) {
    const pattern = compilePattern(query.topic);
    if (pattern.exact) {
      clauses.push('history.topic = ?');
      params.push(query.topic);
    } else {
      // GLOB with the pattern's fixed prefix can use the topic index; the function is exact.
      clauses.push(`history.topic GLOB ? AND ${TOPIC_MATCH_FUNCTION}(?, history.topic)`);
      params.push(query.topic.replace(/\*\*?/g, '*'), query.topic);
    }
  }
  for (const [column, value] of [['type', query.type], ['level', query.level]] as const) {
    if (value === undefined) continue;
    const list = oneOrMany<string>(value);
    clauses.push(`history.${column} IN (${list.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...list);
  }
  if (query.from !== undefined) {
    clauses.push('history.time >= ?');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    clauses.push('history.time < ?');
    params.push(query.to);
  }
  if (query.before !== undefined) {
    clauses.push('history.seq < ?');
    params.push(query.before);
  }
  const words = (query.text ?? '').split(/\s+/).filter((w) => w.length > 0);
  // The trigram index needs three characters; shorter words fall back to LIKE.
  const indexed = words.filter((w) => [...w].length >= 3);
  for (const word of words.filter((w) => [...w].length < 3)) {
    clauses.push("(history.topic LIKE ? ESCAPE '\\' OR history.title LIKE ? ESCAPE '\\' OR history.body LIKE ? ESCAPE '\\')");
    const like = likeContains(word);
    params.push(like, like, like);
  }
  return { clauses, params, match: indexed.length > 0 ? indexed.map(ftsPhrase).join(' ') : null };
}

/**
 * `SELECT <columns>` of the rows matching `filter`, by `seq` in `order`. With words to
 * find, the full-text index drives: FTS5 yields its hits in rowid (= seq) order, so
 * with a LIMIT the search stops at the first hits instead of collecting them all.
 */
export function selectSql(columns: string, filter: HistoryFilter, order: 'ASC' | 'DESC', extra: { clauses?: string[]; params?: SqlValue[]; notIndexed?: boolean } = {}): { sql: string; params: SqlValue[] } {
  const clauses = [...filter.clauses, ...(extra.clauses ?? [])];
  const params = [...filter.params, ...(extra.params ?? [])];
  if (filter.match !== null) {
    const where = ['history_text MATCH ?', ...clauses].join(' AND ');
    return {
      sql: `SELECT ${columns} FROM history_text JOIN history ON history.seq = history_text.rowid WHERE ${where} ORDER BY history_text.rowid ${order}`,
      params: [filter.match, ...params],
    };
  }
  const from = extra.notIndexed ? 'history NOT INDEXED' : 'history';
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  return { sql: `SELECT ${columns} FROM ${from} ${where} ORDER BY history.seq ${order}`, params };
}

export function effectiveLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new HeraldError('bad_request', `expected a history limit of 1 to ${MAX_LIMIT}, got ${describeValue(limit)}`);
  }
  return Math.min(limit, MAX_LIMIT);
}
