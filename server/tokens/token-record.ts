// A named token as it is stored: never its secret, only the secret's SHA-256. The
// secret is `hld_` and 32 random bytes in base64url (256 bits: not guessable, and the
// prefix lets secret scanners recognise a leaked one); it is shown once, when made.
// A token is live until it is revoked or its expiry passes; either way it stays
// listed, and its name is never given to another token, so an old secret can never
// come to mean a new one.

import { createHash, randomBytes } from 'node:crypto';
import { describeValue } from '../protocol/errors.ts';
import { topicProblem } from '../protocol/topics.ts';
import type { TokenScopes } from './scopes.ts';

export const SECRET_PREFIX = 'hld_';
const SECRET = /^hld_[A-Za-z0-9_-]{43}$/;
const TOKEN_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Names that mean something else in logs and messages: the server's own token, no token. */
const RESERVED_NAMES = new Set(['server', 'anonymous']);

export interface NewToken {
  name: string;
  scopes: TokenScopes;
  /** ms since the epoch, or null for never. */
  expiresAt: number | null;
  /** Where a client that names no topic publishes (Gotify-style clients). */
  defaultTopic: string | null;
  /** Requests a second the token may make, or null for no limit of its own. */
  rateLimit: number | null;
}

export interface TokenRecord extends NewToken {
  /** SHA-256 of the secret, base64url. */
  hash: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
  /** The client address of the last use. */
  lastUsedFrom: string | null;
}

export type TokenState = 'live' | 'revoked' | 'expired';

export function newTokenSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** Whether `text` has the shape of a named token's secret (not whether one exists). */
export function looksLikeSecret(text: string): boolean {
  return SECRET.test(text);
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function tokenState(record: Pick<TokenRecord, 'revokedAt' | 'expiresAt'>, now: number): TokenState {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt !== null && record.expiresAt <= now) return 'expired';
  return 'live';
}

/** Why `name` cannot name a token, or null. */
export function tokenNameProblem(name: string): string | null {
  if (!TOKEN_NAME.test(name)) return `expected a token name of 1 to 64 characters [A-Za-z0-9_.-], got ${describeValue(name)}`;
  if (RESERVED_NAMES.has(name)) return `expected a token name other than "server" and "anonymous" (they name the server's own token and no token in logs), got ${JSON.stringify(name)}`;
  return null;
}

/** Why `token` cannot be stored, or null: its name, default topic and rate limit (scopes are checked when parsed). */
export function newTokenProblem(token: NewToken, now: number): string | null {
  const name = tokenNameProblem(token.name);
  if (name) return name;
  if (token.expiresAt !== null && !(token.expiresAt > now)) {
    return `expected an expiry in the future, got ${Number.isFinite(token.expiresAt) ? new Date(token.expiresAt).toISOString() : String(token.expiresAt)} (now is ${new Date(now).toISOString()})`;
  }
  if (token.defaultTopic !== null) {
    const topic = topicProblem(token.defaultTopic);
    if (topic) return `default topic: ${topic}`;
  }
  if (token.rateLimit !== null && !(Number.isFinite(token.rateLimit) && token.rateLimit > 0)) {
    return `expected a rate limit above 0 requests a second, got ${String(token.rateLimit)}`;
  }
  return null;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * An expiry as the CLI takes it: a duration from now (`90s`, `90m`, `12h`, `30d`, `8w`) or a
 * date (`2026-01-31`, `2026-01-31T18:00:00Z`). Throws naming what was expected.
 */
export function parseExpiry(text: string, now: number): number {
  const trimmed = text.trim();
  const duration = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(trimmed);
  if (duration) return now + Math.round(Number(duration[1]) * UNIT_MS[duration[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (Number.isFinite(at)) return at;
  }
  throw new Error(`expected an expiry as a duration (90s, 90m, 12h, 30d, 8w) or a date (2026-01-31, 2026-01-31T18:00:00Z), got ${describeValue(text)}`);
}
