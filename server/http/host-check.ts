// Who may talk to the server from a browser. Two checks, both before any route:
//
// - DNS rebinding: a page on attacker.example can make its own name resolve to
//   127.0.0.1 and then reach a loopback server as "same origin". Its requests still
//   carry `Host: attacker.example`, so a request that arrives over loopback must
//   name a loopback host (localhost, 127.x.y.z, [::1], any port) or one of the
//   configured `allowedHosts` (a reverse proxy's public name).
//   (https://en.wikipedia.org/wiki/DNS_rebinding; the same defence as webpack-dev-server's allowedHosts)
// - Cross-origin requests: the server sends no Access-Control-Allow-Origin, so other
//   origins' pages cannot read its answers; but a browser still SENDS a "simple"
//   cross-origin request (a form or text/plain POST, an EventSource) without asking
//   first (Fetch standard, "CORS protocol"). Such requests carry `Origin`, so any
//   request whose Origin is not this server's own origin (or an allowed host) is
//   refused before it can publish, start a job or sign in. Clients that are not
//   browsers (curl, herald, Node's fetch) send no Origin and are not affected.

import type { IncomingMessage } from 'node:http';
import { HeraldError } from '../protocol/errors.ts';
import { isLoopbackAddress, isLoopbackHost } from './client-address.ts';

/** The host name of a Host header or an origin's host (`[::1]:80` -> `::1`), lower-cased; null if it does not parse. */
export function hostName(host: string): string | null {
  try {
    const url = new URL(`http://${host}`);
    if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return null;
    return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return null;
  }
}

function allowed(name: string, allowedHosts: readonly string[]): boolean {
  return isLoopbackHost(name) || allowedHosts.some((h) => h.toLowerCase() === name);
}

/** Host headers already judged, per allowed-hosts list: every connection of a client sends the same one. */
const judgedHosts = new WeakMap<readonly string[], Map<string, boolean>>();
/** Host headers remembered per list at most (the map is emptied past it: clients choose them). */
const JUDGED_HOSTS_MAX = 256;

function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  let judged = judgedHosts.get(allowedHosts);
  if (judged === undefined) judgedHosts.set(allowedHosts, (judged = new Map()));
  let ok = judged.get(host);
  if (ok === undefined) {
    const name = hostName(host);
    ok = name !== null && allowed(name, allowedHosts);
    if (judged.size >= JUDGED_HOSTS_MAX) judged.clear();
    judged.set(host, ok);
  }
  return ok;
}

/** Throws 403 `forbidden` for a rebinding Host on a loopback connection or a foreign Origin. */
export function checkHostAndOrigin(req: IncomingMessage, allowedHosts: readonly string[]): void {
  const host = req.headers.host;
  if (host !== undefined && !hostAllowed(host, allowedHosts)) {
    // Only now the connection's own address (a getsockname call): an allowed Host
    // passes over any connection.
    const local = req.socket.localAddress;
    if (local !== undefined && isLoopbackAddress(local)) {
      throw new HeraldError(
        'forbidden',
        `expected a Host of localhost, 127.0.0.1 or [::1] on this loopback server, got ${JSON.stringify(host.slice(0, 100))}; ` +
          'a page using another name to reach it is refused (DNS rebinding); behind a reverse proxy, add its name to the allowed hosts',
      );
    }
  }
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (!sameOrigin(origin, host, allowedHosts)) {
    throw new HeraldError(
      'forbidden',
      `expected no Origin or this server's own (${host === undefined ? 'unknown' : `http://${host}`}), got ${JSON.stringify(origin.slice(0, 100))}; ` +
        'pages from other origins may not use this server',
    );
  }
}

function sameOrigin(origin: string, host: string | undefined, allowedHosts: readonly string[]): boolean {
  // `Origin: null` (sandboxed frames, file: pages) is no origin we can trust.
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const name = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (allowedHosts.some((h) => h.toLowerCase() === name)) return true;
  if (host === undefined) return false;
  // Same origin: the name and port the browser used to reach us. A Host without a
  // port means the default port of the scheme the page was loaded over.
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  let addressed: URL;
  try {
    addressed = new URL(`${url.protocol}//${host}`);
  } catch {
    return false;
  }
  return addressed.hostname === url.hostname && (addressed.port || defaultPort) === (url.port || defaultPort);
}
