// Who may publish, subscribe and start jobs on a server with a token. A request
// proves it with the token (`Authorization: Bearer <token>` or another form read by
// server/http/credentials.ts: every client but the browser), or
// with a dashboard session: a browser signs in once through the login form
// (server/http/routes/dashboard.ts) and then carries only a session id in a cookie
// (server/http/sessions.ts, server/http/session-cookie.ts), since an EventSource
// cannot set headers and a cookie reaches every server on the same host.
//
// The token is the server's own (`--token`: full access) or a named token
// (server/tokens/: its scopes, server/http/access.ts); a session acts with the token
// that signed it in. The server's token is compared as a SHA-256 digest with
// timingSafeEqual, so the time taken says nothing about it, its length included; a
// named token is found by the SHA-256 of its secret. Every failed try, on every
// route, is counted per client address (server/http/auth-failures.ts). Secrets are
// never logged nor echoed; a revoked or expired token is told so, with no name.
//
// A credential is needed once the server has a token of its own, any named token
// (live or not), or listens beyond loopback; an open loopback server stays open.
//
// Sign-out and a session's end also close the connections it opened (an event
// stream stays open otherwise): at once on this instance, and within
// `REVALIDATE_MS` for streams another instance holds over Redis. A named token that
// is revoked or expires closes every connection it opened, sessions included, on the
// next tick of the token registry (within about a second, on every instance).

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../protocol/clock.ts';
import { HeraldError } from '../protocol/errors.ts';
import type { TokenRegistry } from '../tokens/token-registry.ts';
import { ANONYMOUS_ACCESS, OPEN_ACCESS, fullAccess, type Access } from './access.ts';
import { AuthFailureLimiter, type AuthFailureOptions } from './auth-failures.ts';
import { ACCEPTED_FORMS, presentedCredential, type CredentialForm } from './credentials.ts';
import { clearedCookies, clearedLegacyCookie, presentedSession, sessionCookie } from './session-cookie.ts';
import { MemorySessionStore, type SessionStore } from './sessions.ts';
import { OpenConnections } from './open-connections.ts';

/** The request's access (server/http/access.ts); throws 401 or 429 when its credential fails. */
export type TokenCheck = (req: IncomingMessage, res?: ServerResponse) => Access | Promise<Access>;

/** What the server's own token (`--token`, HERALD_TOKEN) may do: everything. */
export const SERVER_ACCESS: Access = fullAccess('server');

/** How often connections opened by a session are checked against the session store. */
export const REVALIDATE_MS = 30_000;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Add Set-Cookie values to those already on `res`. */
export function appendSetCookie(res: ServerResponse, values: readonly string[]): void {
  if (values.length === 0) return;
  const current = res.getHeader('Set-Cookie');
  const before = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  res.setHeader('Set-Cookie', [...before, ...values]);
}

export interface AuthenticatorOptions {
  /** The server's token (full access); none and no named token: every request is allowed. */
  token: string | undefined;
  /** The named tokens (server/tokens/token-registry.ts), when the server keeps any. */
  tokens?: TokenRegistry | null;
  /** Require a credential even with no token at all (a server listening beyond loopback). */
  alwaysRequired?: boolean;
  /** Where sessions live (default: in this process). */
  sessions?: SessionStore;
  failures?: Partial<AuthFailureOptions>;
  clock?: Clock;
}

/** Why a presented secret grants nothing: it matches no token, or the token it matches is revoked or expired. */
export type Refusal = 'no-match' | 'revoked' | 'expired';

/** The 401 messages; they name no token, so they tell nothing about which names exist. */
const REFUSALS: Record<Refusal, string> = {
  'no-match': "the token does not match this server's token",
  revoked: 'the token has been revoked; ask for a new one',
  expired: 'the token has expired; ask for a new one',
};

/** Who a 401 was for, when the credential named a token (revoked, expired): for the log only. */
const refusedNames = new WeakMap<IncomingMessage, string>();

/** The name of the token a refused request presented, when it named one; never sent to the client. */
export function refusedTokenName(req: IncomingMessage): string | null {
  return refusedNames.get(req) ?? null;
}

export class Authenticator {
  readonly sessions: SessionStore;
  readonly failures: AuthFailureLimiter;
  readonly tokens: TokenRegistry | null;
  readonly #expected: Buffer | null;
  readonly #clock: Clock;
  /** Latched: once a credential is needed it stays needed (a wiped store must not open the server). */
  #required: boolean;
  /** By session id: the connections each session authenticated that are still open. */
  readonly #bySession = new OpenConnections(() => this.#stopRevalidating());
  /** By named token: the connections it authenticated (by header or session) that are still open. */
  readonly #byToken = new OpenConnections();
  #revalidating: unknown = null;
  readonly #stopWatching: () => void;

  constructor(options: AuthenticatorOptions) {
    const token = options.token || undefined;
    this.#expected = token === undefined ? null : digest(token);
    this.#clock = options.clock ?? systemClock;
    this.tokens = options.tokens ?? null;
    this.#required = token !== undefined || options.alwaysRequired === true;
    this.sessions = options.sessions ?? new MemorySessionStore(this.#clock);
    this.failures = new AuthFailureLimiter(options.failures, this.#clock);
    this.#stopWatching = this.tokens?.onTick(() => this.#closeDeadTokens()) ?? (() => {});
  }

  /** Whether a request needs a credential: the server has a token, a named token, or listens beyond loopback. */
  get required(): boolean {
    if (!this.#required && (this.tokens?.size ?? 0) > 0) this.#required = true;
    return this.#required;
  }

  /** What a request without a credential may do: everything when none is required, else nothing. */
  anonymous(): Access {
    return this.required ? ANONYMOUS_ACCESS : OPEN_ACCESS;
  }

  /**
   * The access `req`'s token or live session grants; throws 401 unless it carries
   * one, and 429 while its address has failed too often (a live session is still let
   * in: it cannot be guessed).
   */
  readonly check = async (req: IncomingMessage, res?: ServerResponse): Promise<Access> => {
    if (!this.required) return OPEN_ACCESS;
    const address = req.socket.remoteAddress ?? 'unknown';
    const presented = presentedCredential(req);
    if (presented !== null) {
      this.failures.assertMayTry(address);
      if (presented.token === null) {
        this.failures.recordFailure(address);
        throw new HeraldError('unauthorized', `expected ${ACCEPTED_FORMS}, got ${presented.problem}`);
      }
      return this.secretAccess(req, presented.token, presented.via);
    }
    const id = presentedSession(req);
    if (id === null) {
      throw new HeraldError('unauthorized', `expected ${ACCEPTED_FORMS} (this server requires a token) or a dashboard session, got neither`);
    }
    const owner = await this.sessions.ownerOf(id);
    const access = owner === null ? null : this.#ownerAccess(owner);
    if (access !== null) {
      this.#bySession.track(id, req.socket);
      this.#revalidating ??= this.#clock.setInterval(() => void this.#revalidate(), REVALIDATE_MS);
      if (access !== SERVER_ACCESS) this.#useToken(access.name, req);
      return access;
    }
    this.failures.assertMayTry(address);
    this.failures.recordFailure(address);
    if (res) appendSetCookie(res, clearedCookies(req));
    if (owner === null) {
      throw new HeraldError('unauthorized', 'expected a live dashboard session, got one that has ended (signed out, expired or the server restarted); sign in again');
    }
    // Signed in with a token that is no longer live: the session ends with it.
    await this.sessions.end(id).catch(() => {});
    refusedNames.set(req, owner);
    throw new HeraldError('unauthorized', `expected a live dashboard session, got one whose token ${this.#deadReason(owner)}; sign in again with a live token`);
  };

  /**
   * The access a presented secret grants: the server's token, or a live named token.
   * Throws 401 (counted against the address) for anything else; the caller has
   * already checked that the address may try.
   */
  async secretAccess(req: IncomingMessage, secret: string, via: CredentialForm = 'Authorization'): Promise<Access> {
    const outcome = await this.#resolve(req, secret);
    if ('access' in outcome) return outcome.access;
    // Herald's clients print the Bearer header's message as it is; other forms say where the token was.
    throw new HeraldError('unauthorized', `${REFUSALS[outcome.refused]}${via === 'Authorization' ? '' : ` (sent as ${via})`}`);
  }

  /** A secret's access, or why it has none (the failure counted, the token's name kept for the log). */
  async #resolve(req: IncomingMessage, secret: string): Promise<{ access: Access } | { refused: Refusal }> {
    if (this.#matches(secret)) return { access: SERVER_ACCESS };
    const found = this.tokens === null ? null : await this.tokens.findFresh(secret);
    if (found?.state === 'live') {
      const access = this.tokens!.accessOf(found.record.name)!;
      this.#useToken(access.name, req);
      return { access };
    }
    this.failures.recordFailure(req.socket.remoteAddress ?? 'unknown');
    if (found === null) return { refused: 'no-match' };
    refusedNames.set(req, found.record.name);
    return { refused: found.state };
  }

  /** Whether `req` may see the dashboard (check, with 401 and 429 as "no"). */
  async signedIn(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    try {
      await this.check(req, res);
      return true;
    } catch (error) {
      if (error instanceof HeraldError && (error.code === 'unauthorized' || error.code === 'rate_limited')) return false;
      throw error;
    }
  }

  /**
   * The login form's token: a new session's Set-Cookie headers when it is the
   * server's token or a live named token (the session then acts with its scopes), or
   * why it was refused (a wrong, revoked or expired token); 429 (unchecked) while the
   * address must wait.
   */
  async login(req: IncomingMessage, presented: string): Promise<{ cookies: string[] } | { refused: Refusal }> {
    if (!this.required) return { cookies: [] };
    this.failures.assertMayTry(req.socket.remoteAddress ?? 'unknown');
    const outcome = await this.#resolve(req, presented);
    if (!('access' in outcome)) return outcome;
    const id = await this.sessions.create(outcome.access.name);
    return { cookies: [sessionCookie(req, id, Math.floor(this.sessions.ttlMs / 1000)), ...clearedLegacyCookie(req)] };
  }

  /** End the request's session and close what it opened; the Set-Cookie headers that delete the cookies. */
  async logout(req: IncomingMessage): Promise<string[]> {
    const id = presentedSession(req);
    if (id !== null) {
      await this.sessions.end(id);
      this.#bySession.close(id, req.socket);
    }
    return clearedCookies(req);
  }

  async close(): Promise<void> {
    this.#stopRevalidating();
    this.#stopWatching();
    await this.sessions.close();
    await this.tokens?.close();
  }

  #matches(presented: string): boolean {
    return this.#expected !== null && timingSafeEqual(digest(presented), this.#expected);
  }

  /** The access of a session's owner, or null when that token is no longer live. */
  #ownerAccess(owner: string): Access | null {
    if (owner === 'server') return this.#expected === null ? null : SERVER_ACCESS;
    return this.tokens?.accessOf(owner) ?? null;
  }

  #deadReason(name: string): string {
    const state = this.tokens?.stateOf(name) ?? 'unknown';
    return state === 'revoked' ? 'has been revoked' : state === 'expired' ? 'has expired' : 'is no longer valid';
  }

  /** A request made with the named token `name`: its rate limit, its last use, its open connection. */
  #useToken(name: string, req: IncomingMessage): void {
    this.tokens!.takeRequest(name);
    this.tokens!.recordUse(name, req.socket.remoteAddress ?? 'unknown');
    this.#byToken.track(name, req.socket);
  }

  /** Close what tokens that are no longer live (revoked, expired) still hold open. */
  #closeDeadTokens(): void {
    for (const name of this.#byToken.keys()) if (this.tokens?.stateOf(name) !== 'live') this.#byToken.close(name);
  }

  async #revalidate(): Promise<void> {
    for (const id of this.#bySession.keys()) {
      // A store that cannot answer (Redis down) ends nothing; the next round asks again.
      const live = await this.sessions.isLive(id).catch(() => true);
      if (!live) this.#bySession.close(id);
    }
  }

  #stopRevalidating(): void {
    if (this.#revalidating === null) return;
    this.#clock.clearInterval(this.#revalidating);
    this.#revalidating = null;
  }
}

/** A check for `token` alone, with sessions in memory (servers built without createHeraldServer). */
export function createTokenCheck(token: string | undefined): TokenCheck {
  return new Authenticator({ token }).check;
}
