// Who is on the other end of a request. Forwarded headers are not trusted: behind a
// proxy every client would share the proxy's address, which is the safe direction.

import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (plain === '::1') return true;
  return isIP(plain) === 4 && plain.startsWith('127.');
}

/** True for `localhost` and loopback literals, as given to `--host`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || isLoopbackAddress(bare);
}

export function clientOf(req: IncomingMessage): { address: string; loopback: boolean } {
  const address = req.socket.remoteAddress ?? 'unknown';
  return { address, loopback: isLoopbackAddress(address) };
}
