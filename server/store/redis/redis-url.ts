// Redis URLs (redis://[user:password@]host:port[/db]): checked before node-redis sees
// them, and shown only without their credentials, whatever form they take, including
// ones that do not parse (a password holding "/" or "@", a missing scheme).

import { HeraldError, describeValue } from '../../protocol/errors.ts';

/** A scheme with its slashes ("redis:/" too); "alice:" in "alice:pass@host" is not one. */
const SCHEME = /^(?:rediss?:\/*|[A-Za-z][A-Za-z0-9+.-]*:\/\/)/i;

/** The URL as it may be shown in messages and logs: no user name, password, query or fragment. */
export function redactRedisUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // Only a URL with a host has its credentials where URL puts them; without one
  // ("user:pass@host" reads as scheme "user" and a path) they are in its path.
  if (parsed && parsed.host !== '') {
    const hidden = `${parsed.search === '' ? '' : '?…'}${parsed.hash === '' ? '' : '#…'}`;
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return `${parsed.toString()}${hidden}`;
  }
  // Taken apart by hand: a password may hold any character, so everything up to the
  // LAST "@" is credentials.
  const scheme = SCHEME.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) return `${scheme}${rest.slice(at + 1)}`;
  // No "@": "redis://:secret" may be a password without its host. Show a host and a
  // numeric port; hide anything else after a colon.
  const authority = /^[^/?#]*/.exec(rest)![0];
  const colon = authority.lastIndexOf(':');
  if (colon >= 0 && !/^\d*$/.test(authority.slice(colon + 1))) return `${scheme}…`;
  return url;
}

/** Refuse anything but redis:// and rediss:// before node-redis sees it. */
export function checkRedisUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new HeraldError(
      'bad_config',
      `expected a Redis URL such as redis://127.0.0.1:6379/0, got ${describeValue(redactRedisUrl(url))}`,
    );
  }
}

/**
 * True for Redis refusing the credentials: WRONGPASS (a wrong password or user),
 * NOAUTH (a password is required and none was given), and the older and
 * no-password-configured forms of both.
 */
export function isRedisAuthFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /^(WRONGPASS|NOAUTH)\b/.test(message) || /^ERR (invalid password|AUTH\b|Client sent AUTH)/.test(message);
}
