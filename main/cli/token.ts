// `herald token add | list | revoke`: the named, scoped tokens of a data dir (its
// SQLite log) or of a Redis deployment (docs/security.md). Works on the store itself,
// whether or not a server runs; a running server (every instance, over Redis) picks
// a change up within a second or two. A secret is printed once, alone on stdout, so
// `SECRET=$(herald token add ...)` keeps it; it is never stored, only its SHA-256.

import { loadConfig } from '../../server/config/load-config.ts';
import { HeraldError } from '../../server/protocol/errors.ts';
import { addScope, emptyScopes, formatScopes, hasAnyScope, ScopeError, scopeEntries, type TokenScopes } from '../../server/tokens/scopes.ts';
import { openTokenStoreForCommand } from '../../server/tokens/sqlite-token-store.ts';
import { newTokenProblem, newTokenSecret, parseExpiry, secretHash, tokenState, type NewToken, type TokenRecord } from '../../server/tokens/token-record.ts';
import type { TokenStore } from '../../server/tokens/token-store.ts';
import { parseCommandArgs, stringFlag, UsageError, type ParsedArgs } from './args.ts';
import type { CliIO, Command } from './command.ts';
import { defaultDataDir } from './data-dir.ts';
import { readRedisUrlFile } from './serve.ts';

const help = `usage: herald token <add NAME | list | revoke NAME> [options]

Named tokens with scopes: what each may publish, read and run (docs/security.md).

  herald token add NAME [scopes] [--expires D] [--topic T] [--rate-limit N]
                         make a token and print its secret, once
      --publish P,...    topic patterns it may publish to (* one segment, ** the rest)
      --subscribe P,...  topic patterns it may read (streams, /topics, job output)
      --jobs N,...       jobs it may start and cancel (* for every job)
      --admin            everything, like the server's own --token
      --expires D        a duration (90s, 90m, 12h, 30d, 8w) or a date
                         (2026-01-31, 2026-01-31T18:00:00Z); default never
      --topic T          where a client that names no topic publishes
      --rate-limit N     requests a second this token may make (default: no
                         limit of its own; the per-address limit still applies)
  herald token list      every token: scopes, created, last used and from where,
                         expiry; never a secret
      --json             as JSON
  herald token revoke NAME
                         stop accepting the token (a running server closes its
                         streams within 2 s); its name is never reused

where the tokens are (the same as herald serve):
  --data-dir DIR         the data dir whose event log holds them (default:
                         $HERALD_DATA_DIR or ${defaultDataDir()})
  --redis URL            the Redis that instances share instead (default:
                         $HERALD_REDIS_URL, then the config file's "redis")
  --redis-url-file FILE  read the Redis URL from FILE (its first line)
  --config FILE          take the data dir and Redis from this config file
  -h, --help             show this help`;

const usage = (message: string): UsageError => new UsageError(`herald token: ${message}`);

/** The time as the list shows it: UTC, to the minute. */
function shortTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

function scopesFromFlags(parsed: ParsedArgs): TokenScopes {
  const scopes = emptyScopes();
  try {
    for (const kind of ['publish', 'subscribe', 'jobs'] as const) {
      const list = stringFlag(parsed, kind);
      if (list !== undefined) scopes[kind] = scopeEntries(kind, list);
    }
    if (parsed.flags.admin === true) addScope(scopes, 'admin');
  } catch (error) {
    if (error instanceof ScopeError) throw usage(`--${error.message}`);
    throw error;
  }
  if (!hasAnyScope(scopes)) throw usage('expected at least one of --publish, --subscribe, --jobs or --admin: a token without a scope could do nothing');
  return scopes;
}

function newToken(name: string, parsed: ParsedArgs, now: number): NewToken {
  const scopes = scopesFromFlags(parsed);
  const expires = stringFlag(parsed, 'expires');
  let expiresAt: number | null = null;
  if (expires !== undefined) {
    try {
      expiresAt = parseExpiry(expires, now);
    } catch (error) {
      throw usage(`--expires: ${(error as Error).message}`);
    }
  }
  const rate = stringFlag(parsed, 'rate-limit');
  const rateLimit = rate === undefined ? null : Number(rate);
  if (rate !== undefined && (rate.trim() === '' || !Number.isFinite(rateLimit) || rateLimit! <= 0)) {
    throw usage(`expected --rate-limit to be a number of requests a second above 0, got ${JSON.stringify(rate)}`);
  }
  const token: NewToken = { name, scopes, expiresAt, defaultTopic: stringFlag(parsed, 'topic') ?? null, rateLimit };
  const problem = newTokenProblem(token, now);
  if (problem) throw usage(problem);
  return token;
}

/** The store the flags (then the environment, then the config file) name: Redis, or the data dir's log. */
async function openStore(parsed: ParsedArgs, env: NodeJS.ProcessEnv): Promise<TokenStore> {
  const redisFlag = stringFlag(parsed, 'redis');
  const redisUrlFile = stringFlag(parsed, 'redis-url-file');
  const dataDirFlag = stringFlag(parsed, 'data-dir');
  if (redisFlag !== undefined && redisUrlFile !== undefined) throw usage('expected one of --redis and --redis-url-file, got both');
  const configFile = stringFlag(parsed, 'config');
  const config = configFile === undefined ? undefined : await loadConfig(configFile);
  const redisUrl =
    redisFlag ?? (redisUrlFile === undefined ? undefined : await readRedisUrlFile(redisUrlFile)) ?? (env.HERALD_REDIS_URL || undefined) ?? config?.redis;
  if (redisUrl !== undefined) {
    if (dataDirFlag !== undefined) throw usage('expected one of --data-dir and --redis (tokens are in one place: Redis when instances share it), got both');
    const { openRedisTokenStore } = await import('../../server/tokens/redis-token-store.ts');
    return openRedisTokenStore({ url: redisUrl, log: () => {} });
  }
  return openTokenStoreForCommand(dataDirFlag ?? (env.HERALD_DATA_DIR || undefined) ?? config?.server?.dataDir ?? defaultDataDir(env));
}

function describe(token: TokenRecord, now: number): Record<string, string> {
  const state = tokenState(token, now);
  return {
    name: token.name,
    state: state === 'revoked' ? `revoked ${shortTime(token.revokedAt!)}` : state,
    scopes: formatScopes(token.scopes).join(' '),
    created: shortTime(token.createdAt),
    'last used': token.lastUsedAt === null ? 'never' : `${shortTime(token.lastUsedAt)} from ${token.lastUsedFrom ?? 'unknown'}`,
    expires: token.expiresAt === null ? 'never' : shortTime(token.expiresAt),
    extra: [token.defaultTopic === null ? '' : `topic ${token.defaultTopic}`, token.rateLimit === null ? '' : `${token.rateLimit}/s`].filter(Boolean).join(', '),
  };
}

function printTable(io: CliIO, rows: Record<string, string>[]): void {
  const columns = Object.keys(rows[0]!).filter((c) => c !== 'extra' || rows.some((r) => r[c] !== ''));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  io.out(line(columns.map((c) => (c === 'extra' ? '' : c.toUpperCase()))));
  for (const row of rows) io.out(line(columns.map((c) => row[c]!)));
}

async function add(store: TokenStore, name: string, parsed: ParsedArgs, io: CliIO): Promise<number> {
  const now = Date.now();
  const token = newToken(name, parsed, now);
  const secret = newTokenSecret();
  try {
    await store.add({ ...token, hash: secretHash(secret), createdAt: now });
  } catch (error) {
    if (error instanceof HeraldError && error.code === 'conflict') throw usage(error.message);
    throw error;
  }
  io.out(secret);
  const expiry = token.expiresAt === null ? '' : `, expires ${shortTime(token.expiresAt)}`;
  io.err(`herald token: added "${name}" (${formatScopes(token.scopes).join(' ')}${expiry}). The line above is its secret, shown only now: keep it somewhere safe.`);
  return 0;
}

async function list(store: TokenStore, parsed: ParsedArgs, io: CliIO): Promise<number> {
  const tokens = await store.list();
  const now = Date.now();
  if (parsed.flags.json === true) {
    io.out(JSON.stringify(tokens.map(({ hash: _hash, ...token }) => ({ ...token, state: tokenState(token, now), scopes: formatScopes(token.scopes) })), null, 2));
    return 0;
  }
  if (tokens.length === 0) {
    io.out('no named tokens (herald token add NAME --publish ... makes one)');
    return 0;
  }
  printTable(io, tokens.map((t) => describe(t, now)));
  return 0;
}

async function revoke(store: TokenStore, name: string, io: CliIO): Promise<number> {
  const outcome = await store.revoke(name, Date.now());
  if (outcome === 'unknown') throw usage(`expected the name of a token, got ${JSON.stringify(name)}, which no token has (see herald token list)`);
  io.out(outcome === 'revoked' ? `revoked "${name}": servers refuse it from now on, and close what it holds open within 2 s` : `"${name}" was already revoked`);
  return 0;
}

export const tokenCommand: Command = {
  summary: 'add, list or revoke named tokens with scopes (what each may publish, read, run)',
  help,
  async run(argv, io) {
    const parsed = parseCommandArgs('token', argv, {
      publish: { type: 'string' },
      subscribe: { type: 'string' },
      jobs: { type: 'string' },
      admin: { type: 'boolean' },
      expires: { type: 'string' },
      topic: { type: 'string' },
      'rate-limit': { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      redis: { type: 'string' },
      'redis-url-file': { type: 'string' },
      config: { type: 'string' },
    });
    const [action, ...names] = parsed.positionals;
    const wantsName = action === 'add' || action === 'revoke';
    if (action === undefined || !['add', 'list', 'revoke'].includes(action)) {
      throw usage(`expected add NAME, list or revoke NAME, got ${action === undefined ? 'nothing' : JSON.stringify(action)}; see herald token --help`);
    }
    if (names.length !== (wantsName ? 1 : 0)) {
      throw usage(wantsName ? `expected one token name after ${action}, got ${names.length}` : `expected nothing after list, got ${JSON.stringify(names.join(' '))}`);
    }
    const onlyForAdd = ['publish', 'subscribe', 'jobs', 'admin', 'expires', 'topic', 'rate-limit'].filter((f) => parsed.flags[f] !== undefined);
    if (action !== 'add' && onlyForAdd.length > 0) throw usage(`--${onlyForAdd[0]} is for herald token add, not ${action}`);
    if (action === 'add') newToken(names[0]!, parsed, Date.now()); // refuse bad input before opening anything
    const store = await openStore(parsed, io.env);
    try {
      if (action === 'add') return await add(store, names[0]!, parsed, io);
      if (action === 'revoke') return await revoke(store, names[0]!, io);
      return await list(store, parsed, io);
    } finally {
      await store.close();
    }
  },
};
