// Where named tokens are kept: the SQLite log's database for a lone server
// (server/tokens/sqlite-token-store.ts), Redis when instances share one
// (server/tokens/redis-token-store.ts). `herald token` writes it whether or not a
// server runs; a running server reads it again whenever `version()` changes
// (server/tokens/token-registry.ts).

import { HeraldError } from '../protocol/errors.ts';
import { scopesFromJson } from './scopes.ts';
import type { NewToken, TokenRecord } from './token-record.ts';

export interface TokenUse {
  name: string;
  at: number;
  from: string;
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'unknown';

export interface TokenStore {
  /** Every token, revoked and expired ones included, oldest first. */
  list(): Promise<TokenRecord[]>;
  /** Store a new token; 409 when the name is taken (by a live, revoked or expired token). */
  add(token: NewToken & { hash: string; createdAt: number }): Promise<void>;
  revoke(name: string, at: number): Promise<RevokeOutcome>;
  /** A value that changes whenever a token is added or revoked: cheap enough to ask every second. */
  version(): Promise<string>;
  /** Remember when and from where tokens were last used (does not change the version). */
  recordUse(uses: readonly TokenUse[]): Promise<void>;
  close(): Promise<void>;
}

export function nameTaken(name: string, existing: Pick<TokenRecord, 'revokedAt'> | null): HeraldError {
  const how = existing?.revokedAt != null ? ' (revoked)' : '';
  return new HeraldError('conflict', `expected a new token name, got "${name}", which a token already has${how}; names are never reused, so that an old secret cannot come to mean a new token: pick another`);
}

/** The stored form of a token's fields that are not columns of their own (JSON). */
export interface StoredTokenFields {
  scopes: unknown;
}

/** A record from stored values, its scopes checked again (storage is outside this process). */
export function tokenFromStored(fields: Omit<TokenRecord, 'scopes'> & StoredTokenFields): TokenRecord {
  return { ...fields, scopes: scopesFromJson(fields.scopes) };
}
