// Retention for the SQLite log: per topic, keep at most `maxEventsPerTopic` events
// and none older than `maxAgeMs`. Retention always removes a prefix of a topic's
// events (everything up to some id), so what was lost after a resume id is exactly
// the tombstones above it. Tombstones are capped per topic; older ones collapse into
// a count (`lost_before`) that is exact for a resume id older than the whole topic.

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { GapInfo, RetentionPolicy } from './event-log.ts';

export const DEFAULT_RETENTION: RetentionPolicy = {
  maxEventsPerTopic: 1000,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
};

interface TopicCounters {
  first_id: number;
  retained: number;
  tombstones: number;
  lost_before: number;
  lost_before_id: number;
}

export class SqliteRetention {
  readonly policy: RetentionPolicy;
  /** Tombstones kept per topic before the oldest collapse into a count. */
  readonly tombstoneCap: number;
  readonly #oldestIds: StatementSync;
  readonly #bury: StatementSync;
  readonly #delete: StatementSync;
  readonly #counters: StatementSync;
  readonly #afterPrune: StatementSync;
  readonly #nthTombstone: StatementSync;
  readonly #collapse: StatementSync;
  readonly #afterCollapse: StatementSync;
  readonly #agedTopics: StatementSync;
  readonly #forgetTombstones: StatementSync;
  readonly #forgetTopics: StatementSync;
  readonly #lostAfter: StatementSync;

  constructor(db: DatabaseSync, policy: RetentionPolicy, tombstoneCap = Math.max(10_000, policy.maxEventsPerTopic * 10)) {
    this.policy = policy;
    this.tombstoneCap = tombstoneCap;
    this.#oldestIds = db.prepare('SELECT id FROM events WHERE topic = ? ORDER BY id LIMIT 1 OFFSET ?');
    this.#bury = db.prepare('INSERT OR IGNORE INTO pruned (topic, id) SELECT topic, id FROM events WHERE topic = ? AND id <= ?');
    this.#delete = db.prepare('DELETE FROM events WHERE topic = ? AND id <= ?');
    this.#counters = db.prepare(
      'SELECT first_id, retained, tombstones, lost_before, lost_before_id FROM topics WHERE topic = ?',
    );
    this.#afterPrune = db.prepare(
      'UPDATE topics SET retained = retained - ?, tombstones = tombstones + ? WHERE topic = ?',
    );
    this.#nthTombstone = db.prepare('SELECT id FROM pruned WHERE topic = ? ORDER BY id LIMIT 1 OFFSET ?');
    this.#collapse = db.prepare('DELETE FROM pruned WHERE topic = ? AND id <= ?');
    this.#afterCollapse = db.prepare(
      'UPDATE topics SET tombstones = tombstones - ?, lost_before = lost_before + ?, lost_before_id = ? WHERE topic = ?',
    );
    this.#agedTopics = db.prepare(
      'SELECT topic, MAX(id) AS through, COUNT(*) AS n FROM events WHERE time < ? GROUP BY topic',
    );
    this.#forgetTombstones = db.prepare(
      'DELETE FROM pruned WHERE topic IN (SELECT topic FROM topics WHERE retained = 0 AND last_time < ?)',
    );
    this.#forgetTopics = db.prepare('DELETE FROM topics WHERE retained = 0 AND last_time < ?');
    this.#lostAfter = db.prepare('SELECT COUNT(*) AS n FROM pruned WHERE topic = ? AND id > ?');
  }

  /** Drop the oldest events of `topic` beyond the count limit. Call inside a transaction. */
  enforceCount(topic: string, retained: number): void {
    const excess = retained - this.policy.maxEventsPerTopic;
    if (excess <= 0) return;
    const row = this.#oldestIds.get(topic, excess - 1) as { id: number } | undefined;
    if (row === undefined) return;
    this.#removeThrough(topic, row.id);
  }

  /**
   * Drop events older than the age limit, and forget topics that have had no event
   * for twice that long (their tombstones included). Call inside a transaction.
   */
  enforceAge(now: number): void {
    const cutoff = now - this.policy.maxAgeMs;
    const aged = this.#agedTopics.all(cutoff) as Array<{ topic: string; through: number; n: number }>;
    for (const { topic, through } of aged) this.#removeThrough(topic, through);
    const forgetBefore = now - 2 * this.policy.maxAgeMs;
    this.#forgetTombstones.run(forgetBefore);
    this.#forgetTopics.run(forgetBefore);
  }

  /** What retention removed from `topic` after `since`, or null when nothing was. */
  lostAfter(topic: string, since: number): GapInfo | null {
    const counters = this.#counters.get(topic) as TopicCounters | undefined;
    if (counters === undefined) return null;
    const buried = counters.tombstones > 0 ? (this.#lostAfter.get(topic, since) as { n: number }).n : 0;
    let lost: number | null = buried;
    if (counters.lost_before > 0 && since < counters.lost_before_id) {
      // The collapsed events span first_id..lost_before_id; only a resume id older
      // than all of them tells how many of them came after it.
      lost = since < counters.first_id ? buried + counters.lost_before : null;
    }
    return lost === 0 ? null : { topic, lost };
  }

  #removeThrough(topic: string, through: number): void {
    const buried = Number(this.#bury.run(topic, through).changes);
    const removed = Number(this.#delete.run(topic, through).changes);
    if (removed === 0) return;
    this.#afterPrune.run(removed, buried, topic);
    this.#collapseTombstones(topic);
  }

  #collapseTombstones(topic: string): void {
    const counters = this.#counters.get(topic) as TopicCounters | undefined;
    if (counters === undefined) return;
    const extra = counters.tombstones - this.tombstoneCap;
    if (extra <= 0) return;
    const row = this.#nthTombstone.get(topic, extra - 1) as { id: number } | undefined;
    if (row === undefined) return;
    const collapsed = Number(this.#collapse.run(topic, row.id).changes);
    this.#afterCollapse.run(collapsed, collapsed, row.id, topic);
  }
}
