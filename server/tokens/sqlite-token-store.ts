// Named tokens in the SQLite log's own database (`events.sqlite` in the data dir,
// table `tokens`, server/store/sqlite-schema.ts), so a data dir is the whole state of
// a lone server. `herald token` and the server each open their own connection: SQLite
// (WAL, a busy timeout) lets the command write while the server runs. The meta row
// `tokens_version` counts adds and revokes; the server reads it every second.

import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { HeraldError } from '../protocol/errors.ts';
import { openLogFile, openReadOnly } from '../store/sqlite-open.ts';
import { prepareDatabase } from '../store/sqlite-schema.ts';
import { immediateTransaction } from '../store/sqlite-transaction.ts';
import type { NewToken, TokenRecord } from './token-record.ts';
import { nameTaken, tokenFromStored, type RevokeOutcome, type TokenStore, type TokenUse } from './token-store.ts';

export const LOG_FILE = 'events.sqlite';

interface TokenRow {
  name: string;
  hash: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  default_topic: string | null;
  rate_limit: number | null;
  last_used_at: number | null;
  last_used_from: string | null;
}

function fromRow(row: TokenRow): TokenRecord {
  let scopes: unknown;
  try {
    scopes = JSON.parse(row.scopes);
  } catch {
    scopes = null;
  }
  return tokenFromStored({
    name: row.name,
    hash: row.hash,
    scopes,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    defaultTopic: row.default_topic,
    rateLimit: row.rate_limit === null ? null : Number(row.rate_limit),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    lastUsedFrom: row.last_used_from,
  });
}

/**
 * The tokens of the data dir `dataDir`, for `herald token`: creates the data dir and
 * the log file (with the log's permissions) when they do not exist yet.
 */
export function openTokenStoreForCommand(dataDir: string): SqliteTokenStore {
  const { db, readOnly } = openLogFile(join(dataDir, LOG_FILE));
  try {
    if (readOnly === null) prepareDatabase(db);
    return new SqliteTokenStore(db, { readOnly, where: dataDir });
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The server's connection, once its log has opened (and prepared) the same file. */
export function openTokenStoreBesideLog(dataDir: string, readOnly: string | null): SqliteTokenStore {
  const path = join(dataDir, LOG_FILE);
  // Read-only the way the log was opened (a read-only data dir may have no -shm to share).
  const db = readOnly === null ? new DatabaseSync(path) : openReadOnly(path);
  db.exec('PRAGMA busy_timeout = 5000');
  return new SqliteTokenStore(db, { readOnly, where: dataDir });
}

export class SqliteTokenStore implements TokenStore {
  readonly #db: DatabaseSync;
  readonly #readOnly: string | null;
  readonly #where: string;
  /** A read-only log of an older schema has no tokens table: it holds no tokens. */
  readonly #hasTable: boolean;

  constructor(db: DatabaseSync, options: { readOnly: string | null; where: string }) {
    this.#db = db;
    this.#readOnly = options.readOnly;
    this.#where = options.where;
    this.#hasTable = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'tokens'").get() !== undefined;
  }

  async list(): Promise<TokenRecord[]> {
    if (!this.#hasTable) return [];
    const rows = this.#db.prepare('SELECT * FROM tokens ORDER BY created_at, name').all() as unknown as TokenRow[];
    return rows.map(fromRow);
  }

  async add(token: NewToken & { hash: string; createdAt: number }): Promise<void> {
    this.#assertWritable('add a token');
    immediateTransaction(this.#db, () => {
      const existing = this.#db.prepare('SELECT revoked_at FROM tokens WHERE name = ?').get(token.name) as { revoked_at: number | null } | undefined;
      if (existing) throw nameTaken(token.name, { revokedAt: existing.revoked_at });
      this.#db
        .prepare('INSERT INTO tokens (name, hash, scopes, created_at, expires_at, revoked_at, default_topic, rate_limit) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)')
        .run(token.name, token.hash, JSON.stringify(token.scopes), token.createdAt, token.expiresAt, token.defaultTopic, token.rateLimit);
      this.#bumpVersion();
    });
  }

  async revoke(name: string, at: number): Promise<RevokeOutcome> {
    this.#assertWritable('revoke a token');
    return immediateTransaction(this.#db, () => {
      const existing = this.#db.prepare('SELECT revoked_at FROM tokens WHERE name = ?').get(name) as { revoked_at: number | null } | undefined;
      if (!existing) return 'unknown';
      if (existing.revoked_at !== null) return 'already-revoked';
      this.#db.prepare('UPDATE tokens SET revoked_at = ? WHERE name = ?').run(at, name);
      this.#bumpVersion();
      return 'revoked';
    });
  }

  async version(): Promise<string> {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'tokens_version'").get() as { value: string } | undefined;
    return row?.value ?? '0';
  }

  async recordUse(uses: readonly TokenUse[]): Promise<void> {
    if (this.#readOnly !== null || !this.#hasTable || uses.length === 0) return;
    const update = this.#db.prepare('UPDATE tokens SET last_used_at = ?, last_used_from = ? WHERE name = ? AND (last_used_at IS NULL OR last_used_at <= ?)');
    immediateTransaction(this.#db, () => {
      for (const use of uses) update.run(use.at, use.from, use.name, use.at);
    });
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #bumpVersion(): void {
    this.#db.prepare("INSERT INTO meta (key, value) VALUES ('tokens_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1").run();
  }

  #assertWritable(what: string): void {
    if (this.#readOnly !== null) throw new HeraldError('unavailable', `cannot ${what}: ${this.#readOnly}`);
    if (!this.#hasTable) throw new HeraldError('unavailable', `cannot ${what}: the event log in ${this.#where} has no tokens table`);
  }
}
