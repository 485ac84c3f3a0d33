// The dashboard's session cookie. Browsers do not scope cookies by port (RFC 6265,
// section 8.5): every server on 127.0.0.1 receives every cookie set for 127.0.0.1.
// So the cookie holds only a session id (server/http/sessions.ts), never the token,
// and its name carries the port the browser used (`herald_session_8080`): two Herald
// servers on one host keep a session each instead of overwriting one another's.
// The port is the one in the Host header, not the one this process listens on, so
// that several instances behind one load balancer use the same name.
//
// Earlier versions kept the token itself in `herald_token`; the dashboard pages
// delete that cookie wherever they see it.

import type { IncomingMessage } from 'node:http';

export const LEGACY_TOKEN_COOKIE = 'herald_token';

/** `herald_session_<port>`, from the Host header; `herald_session` when it names no port. */
export function sessionCookieName(req: IncomingMessage): string {
  let port = '';
  try {
    port = new URL(`http://${req.headers.host ?? ''}`).port;
  } catch {
    // no usable Host: the plain name
  }
  return port === '' ? 'herald_session' : `herald_session_${port}`;
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  if (cookieHeader === undefined) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return null;
}

/** The session id the request's cookie carries, if any (not yet checked). */
export function presentedSession(req: IncomingMessage): string | null {
  return cookieValue(req.headers.cookie, sessionCookieName(req));
}

function attributes(req: IncomingMessage, maxAgeSec: number): string {
  // Secure only where this server itself speaks TLS: behind a TLS proxy it sees plain HTTP.
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true ? '; Secure' : '';
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${secure}`;
}

/** Set-Cookie for a new session. */
export function sessionCookie(req: IncomingMessage, id: string, maxAgeSec: number): string {
  return `${sessionCookieName(req)}=${id}; ${attributes(req, maxAgeSec)}`;
}

/** A Set-Cookie header deleting the old token cookie when the request still carries it. */
export function clearedLegacyCookie(req: IncomingMessage): string[] {
  return cookieValue(req.headers.cookie, LEGACY_TOKEN_COOKIE) === null ? [] : [`${LEGACY_TOKEN_COOKIE}=; ${attributes(req, 0)}`];
}

/** Set-Cookie headers that delete this server's session cookie (and the old token cookie). */
export function clearedCookies(req: IncomingMessage): string[] {
  return [`${sessionCookieName(req)}=; ${attributes(req, 0)}`, ...clearedLegacyCookie(req)];
}
