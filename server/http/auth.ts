// Token check for publish and subscribe. The token arrives as `Authorization: Bearer
// <token>` or, for browsers (EventSource cannot set headers), as the `herald_token`
// cookie the dashboard's login route sets. Both sides are hashed first so that
// timingSafeEqual compares equal lengths and the comparison time says nothing about
// the token. Tokens are never logged.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HeraldError } from '../protocol/errors.ts';

export const TOKEN_COOKIE = 'herald_token';

export type TokenCheck = (req: IncomingMessage) => void;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The token a request presents, if any. */
export function presentedToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1]! : null;
  }
  return cookieValue(req.headers.cookie, TOKEN_COOKIE);
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  if (cookieHeader === undefined) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** True when `candidate` equals `expected`, in time independent of where they differ. */
export function tokensMatch(candidate: string, expected: string): boolean {
  return timingSafeEqual(digest(candidate), digest(expected));
}

/** A check that throws 401 unless the request carries `token`; with no token, allows all. */
export function createTokenCheck(token: string | undefined): TokenCheck {
  if (token === undefined || token === '') return () => {};
  const expected = digest(token);
  return (req) => {
    const presented = presentedToken(req);
    if (presented === null) {
      throw new HeraldError('unauthorized', 'expected "Authorization: Bearer <token>" (this server requires a token), got none');
    }
    if (!timingSafeEqual(digest(presented), expected)) {
      throw new HeraldError('unauthorized', 'the token does not match this server\'s token');
    }
  };
}
