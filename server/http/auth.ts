// Who may publish, subscribe and start jobs on a server with a token. A request
// proves it with `Authorization: Bearer <token>` (every client but the browser), or
// with a dashboard session: a browser signs in once through the login form
// (server/http/routes/dashboard.ts) and then carries only a session id in a cookie
// (server/http/sessions.ts, server/http/session-cookie.ts), since an EventSource
// cannot set headers and a cookie reaches every server on the same host.
//
// Tokens are compared as SHA-256 digests with timingSafeEqual, so the time taken
// says nothing about the token, its length included. Every failed try, on every
// route, is counted per client address (server/http/auth-failures.ts). Tokens are
// never logged nor echoed.
//
// Sign-out and a session's end also close the connections it opened (an event
// stream stays open otherwise): at once on this instance, and within
// `REVALIDATE_MS` for streams another instance holds over Redis.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { systemClock, type Clock } from '../protocol/clock.ts';
import { HeraldError } from '../protocol/errors.ts';
import { ANONYMOUS_ACCESS, OPEN_ACCESS, fullAccess, type Access } from './access.ts';
import { AuthFailureLimiter, type AuthFailureOptions } from './auth-failures.ts';
import { clearedCookies, clearedLegacyCookie, presentedSession, sessionCookie } from './session-cookie.ts';
import { MemorySessionStore, type SessionStore } from './sessions.ts';

/** The request's access (server/http/access.ts); throws 401 or 429 when its credential fails. */
export type TokenCheck = (req: IncomingMessage, res?: ServerResponse) => Access | Promise<Access>;

/** What the server's own token (`--token`, HERALD_TOKEN) may do: everything. */
export const SERVER_ACCESS: Access = fullAccess('server');

/** How often connections opened by a session are checked against the session store. */
export const REVALIDATE_MS = 30_000;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header, or null for any other form. */
export function bearerToken(header: string): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Why a header is not `Bearer <token>`, without showing what it holds. */
function malformedHeader(header: string): string {
  const parts = header.trim().split(/\s+/);
  if (!/^bearer$/i.test(parts[0] ?? '')) return 'an Authorization header without the Bearer scheme';
  return parts.length < 2 ? 'a Bearer header with no token' : 'a Bearer header whose token contains a space';
}

/** Add Set-Cookie values to those already on `res`. */
export function appendSetCookie(res: ServerResponse, values: readonly string[]): void {
  if (values.length === 0) return;
  const current = res.getHeader('Set-Cookie');
  const before = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  res.setHeader('Set-Cookie', [...before, ...values]);
}

export interface AuthenticatorOptions {
  /** The server's token; none: every request is allowed. */
  token: string | undefined;
  /** Where sessions live (default: in this process). */
  sessions?: SessionStore;
  failures?: Partial<AuthFailureOptions>;
  clock?: Clock;
}

export class Authenticator {
  readonly required: boolean;
  readonly sessions: SessionStore;
  readonly failures: AuthFailureLimiter;
  readonly #expected: Buffer | null;
  readonly #clock: Clock;
  /** Session id -> the connections it authenticated that are still open. */
  readonly #open = new Map<string, Set<Socket>>();
  #revalidating: unknown = null;

  constructor(options: AuthenticatorOptions) {
    const token = options.token || undefined;
    this.required = token !== undefined;
    this.#expected = token === undefined ? null : digest(token);
    this.#clock = options.clock ?? systemClock;
    this.sessions = options.sessions ?? new MemorySessionStore(this.#clock);
    this.failures = new AuthFailureLimiter(options.failures, this.#clock);
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
    if (this.#expected === null) return OPEN_ACCESS;
    const address = req.socket.remoteAddress ?? 'unknown';
    const header = req.headers.authorization;
    if (header !== undefined) {
      this.failures.assertMayTry(address);
      const token = bearerToken(header);
      if (token === null || !this.#matches(token)) {
        this.failures.recordFailure(address);
        throw new HeraldError(
          'unauthorized',
          token === null ? `expected "Authorization: Bearer <token>", got ${malformedHeader(header)}` : "the token does not match this server's token",
        );
      }
      return SERVER_ACCESS;
    }
    const id = presentedSession(req);
    if (id === null) {
      throw new HeraldError('unauthorized', 'expected "Authorization: Bearer <token>" (this server requires a token) or a dashboard session, got neither');
    }
    if (await this.sessions.isLive(id)) {
      this.#track(id, req.socket);
      return SERVER_ACCESS;
    }
    this.failures.assertMayTry(address);
    this.failures.recordFailure(address);
    if (res) appendSetCookie(res, clearedCookies(req));
    throw new HeraldError('unauthorized', 'expected a live dashboard session, got one that has ended (signed out, expired or the server restarted); sign in again');
  };

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
   * server's token, null when not; 429 (unchecked) while the address must wait.
   */
  async login(req: IncomingMessage, presented: string): Promise<string[] | null> {
    if (this.#expected === null) return [];
    const address = req.socket.remoteAddress ?? 'unknown';
    this.failures.assertMayTry(address);
    if (!this.#matches(presented)) {
      this.failures.recordFailure(address);
      return null;
    }
    const id = await this.sessions.create();
    return [sessionCookie(req, id, Math.floor(this.sessions.ttlMs / 1000)), ...clearedLegacyCookie(req)];
  }

  /** End the request's session and close what it opened; the Set-Cookie headers that delete the cookies. */
  async logout(req: IncomingMessage): Promise<string[]> {
    const id = presentedSession(req);
    if (id !== null) {
      await this.sessions.end(id);
      this.#closeConnections(id, req.socket);
    }
    return clearedCookies(req);
  }

  async close(): Promise<void> {
    this.#stopRevalidating();
    await this.sessions.close();
  }

  #matches(presented: string): boolean {
    return this.#expected !== null && timingSafeEqual(digest(presented), this.#expected);
  }

  #track(id: string, socket: Socket): void {
    let sockets = this.#open.get(id);
    if (sockets === undefined) this.#open.set(id, (sockets = new Set()));
    if (sockets.has(socket)) return;
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.#open.get(id) === sockets) this.#open.delete(id);
      if (this.#open.size === 0) this.#stopRevalidating();
    });
    this.#revalidating ??= this.#clock.setInterval(() => void this.#revalidate(), REVALIDATE_MS);
  }

  #closeConnections(id: string, except?: Socket): void {
    const sockets = this.#open.get(id);
    this.#open.delete(id);
    for (const socket of sockets ?? []) if (socket !== except) socket.destroy();
  }

  async #revalidate(): Promise<void> {
    for (const id of [...this.#open.keys()]) {
      // A store that cannot answer (Redis down) ends nothing; the next round asks again.
      const live = await this.sessions.isLive(id).catch(() => true);
      if (!live) this.#closeConnections(id);
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
