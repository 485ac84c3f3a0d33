// What the request's credential lets it do: the principal every route sees as
// `ctx.access`. The request handler (server/http/request-handler.ts) asks the
// Authenticator (server/http/auth.ts) for it before a route that needs a credential
// runs; a route that needs none gets `anonymous`: everything on a server that asks
// for no credential (loopback without a token), nothing otherwise.
//
// Routes check the particular topic, pattern or job with the `require...` helpers
// below, which throw 403 naming what was refused (never the secret). The server's
// own token (`--token`, HERALD_TOKEN) and an open loopback server have full access.

import { HeraldError } from '../protocol/errors.ts';

export interface Access {
  /** Who: a token's name, `server` for the server's token, `anonymous` when no credential was needed. */
  readonly name: string;
  /** May do everything, including managing tokens. */
  readonly isAdmin: boolean;
  /** The topic a client that names none publishes to (Gotify-style), or null. */
  readonly defaultTopic: string | null;
  mayPublish(topic: string): boolean;
  /** Whether every topic `topicOrPattern` matches may be read. */
  maySubscribe(topicOrPattern: string): boolean;
  /**
   * `patterns` cut down to what may be read: a pattern wider than the scope becomes
   * its overlap with the scope (one or more narrower patterns); one with no overlap
   * at all is `refused`.
   */
  narrow(patterns: readonly string[]): { patterns: string[]; refused: string[] };
  /** May start and cancel runs of the job `name`. */
  mayRunJob(name: string): boolean;
}

/** Everything: the server's token, and any request to a server that asks for no credential. */
export function fullAccess(name: string): Access {
  return {
    name,
    isAdmin: true,
    defaultTopic: null,
    mayPublish: () => true,
    maySubscribe: () => true,
    narrow: (patterns) => ({ patterns: [...patterns], refused: [] }),
    mayRunJob: () => true,
  };
}

/** Nothing: what a request without a credential may do on a server that asks for one. */
export function noAccess(name: string): Access {
  return {
    name,
    isAdmin: false,
    defaultTopic: null,
    mayPublish: () => false,
    maySubscribe: () => false,
    narrow: (patterns) => ({ patterns: [], refused: [...patterns] }),
    mayRunJob: () => false,
  };
}

export const OPEN_ACCESS: Access = fullAccess('anonymous');
export const ANONYMOUS_ACCESS: Access = noAccess('anonymous');

function forbidden(access: Access, message: string): HeraldError {
  return new HeraldError('forbidden', `the token "${access.name}" ${message}`);
}

export function requirePublish(access: Access, topic: string): void {
  if (!access.mayPublish(topic)) throw forbidden(access, `may not publish to ${JSON.stringify(topic)}`);
}

export function requireSubscribe(access: Access, topicOrPattern: string): void {
  if (!access.maySubscribe(topicOrPattern)) throw forbidden(access, `may not read ${JSON.stringify(topicOrPattern)}`);
}

export function requireJob(access: Access, job: string): void {
  if (!access.mayRunJob(job)) throw forbidden(access, `may not start or cancel the job ${JSON.stringify(job)}`);
}

export function requireAdmin(access: Access, what: string): void {
  if (!access.isAdmin) throw forbidden(access, `may not ${what} (needs the admin scope)`);
}

/** `patterns` narrowed to the scope; 403 naming every requested pattern that has nothing in it. */
export function narrowOrRefuse(access: Access, patterns: readonly string[]): string[] {
  const { patterns: allowed, refused } = access.narrow(patterns);
  if (refused.length > 0) {
    throw forbidden(access, `may not read ${refused.map((p) => JSON.stringify(p)).join(', ')} (nothing there is in its subscribe scope)`);
  }
  return allowed;
}
