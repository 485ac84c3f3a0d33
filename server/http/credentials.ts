// Where a request carries its token. One place, so every route accepts the same forms
// (docs/security.md, "Token handling"):
//
// - `?auth=`: ntfy's query form, the base64url of a whole Authorization header value
//   (`Bearer <token>` or `Basic base64(user:token)`), for clients that cannot set
//   headers (ntfy docs, "Authentication: query param");
// - `?token=`: Gotify's query form;
// - `X-Gotify-Key: <token>`: Gotify's header;
// - `Authorization: Bearer <token>`, or `Authorization: Basic` with the token as the
//   password and any user name (what ntfy clients send for user:password).
//
// The first form present is the one checked, in that order (ntfy lets `?auth=` win
// over the header, Gotify checks its query and its header before Authorization), so
// a proxy's own Authorization header does not hide a token given in the URL. Nothing
// here compares tokens or shows one: a malformed credential is described by its shape.

import type { IncomingMessage } from 'node:http';

/** A credential the request presented: the token, or why it could not be read. */
export type PresentedCredential =
  | { token: string; via: CredentialForm }
  | { token: null; via: CredentialForm; problem: string };

export type CredentialForm = '?auth=' | '?token=' | 'X-Gotify-Key' | 'Authorization';

/** The token of an `Authorization: Bearer <token>` header, or null for any other form. */
export function bearerToken(header: string): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1]! : null;
}

/** The base64 of `Basic <base64>`, standard or URL alphabet, padding optional. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** The token of an Authorization value (Bearer, or Basic with the token as password), or what is wrong with it. */
export function authorizationToken(value: string): { token: string } | { problem: string } {
  const bearer = bearerToken(value);
  if (bearer !== null) return { token: bearer };
  const parts = value.trim().split(/[ \t]+/);
  const scheme = parts[0] ?? '';
  if (/^bearer$/i.test(scheme)) {
    return { problem: parts.length < 2 ? 'a Bearer header with no token' : 'a Bearer header whose token contains a space' };
  }
  if (!/^basic$/i.test(scheme)) {
    return { problem: `an Authorization header with the scheme ${JSON.stringify(scheme.slice(0, 20))}, neither Bearer nor Basic` };
  }
  const encoded = parts[1];
  if (parts.length !== 2 || encoded === undefined || !BASE64.test(encoded)) {
    return { problem: 'a Basic header whose credentials are not one base64 word' };
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { problem: 'Basic credentials without a ":" between user and password' };
  const password = decoded.slice(colon + 1);
  if (password === '') return { problem: 'Basic credentials with an empty password; put the token in the password (any user name)' };
  return { token: password };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The query of `req`'s target (none when it does not parse: the request handler refuses those first). */
function queryOf(req: IncomingMessage): URLSearchParams {
  try {
    return new URL(req.url ?? '/', 'http://herald.invalid').searchParams;
  } catch {
    return new URLSearchParams();
  }
}

/** The credential `req` presents, or null when it presents none (a dashboard session may still follow). */
export function presentedCredential(req: IncomingMessage): PresentedCredential | null {
  const query = queryOf(req);
  const auth = query.get('auth') || query.get('authorization');
  if (auth) {
    if (!BASE64.test(auth)) return { token: null, via: '?auth=', problem: 'an ?auth= value that is not base64url' };
    const read = authorizationToken(Buffer.from(auth, 'base64url').toString('utf8').trim());
    return 'token' in read ? { token: read.token, via: '?auth=' } : { token: null, via: '?auth=', problem: `an ?auth= value holding ${read.problem}` };
  }
  const token = query.get('token');
  if (token) return { token, via: '?token=' };
  const gotify = first(req.headers['x-gotify-key'])?.trim();
  if (gotify) return { token: gotify, via: 'X-Gotify-Key' };
  const header = first(req.headers.authorization);
  if (header === undefined) return null;
  const read = authorizationToken(header);
  return 'token' in read ? { token: read.token, via: 'Authorization' } : { token: null, via: 'Authorization', problem: read.problem };
}

/** What a request without a credential was expected to carry, for the 401 message. */
export const ACCEPTED_FORMS = '"Authorization: Bearer <token>" (or Basic with the token as password, X-Gotify-Key, ?auth= or ?token=)';
