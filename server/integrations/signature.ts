// Proving a webhook came from who holds its secret, without Herald's token (senders
// such as GitHub cannot send one). Both checks take the same time whatever the
// presented value holds: an HMAC is compared with timingSafeEqual on fixed-length
// digests, a shared secret as SHA-256 digests of both sides (as tokens are, in
// server/http/auth.ts), so neither a prefix nor the length leaks through timing.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^(?:sha256=)?([0-9a-fA-F]{64})$/;

/** The HMAC-SHA256 of `body` under `secret`, as GitHub's X-Hub-Signature-256 writes it. */
export function signatureOf(body: Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * True when `presented` is the HMAC-SHA256 of the raw `body` bytes under `secret`,
 * in hex, with or without GitHub's `sha256=` prefix.
 */
export function signatureMatches(body: Buffer, secret: string, presented: string): boolean {
  const hex = HEX_SHA256.exec(presented.trim())?.[1];
  const expected = createHmac('sha256', secret).update(body).digest();
  // A malformed value is compared against the digest anyway, so it takes as long.
  const given = hex === undefined ? Buffer.alloc(expected.length) : Buffer.from(hex, 'hex');
  return timingSafeEqual(given, expected) && hex !== undefined;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** True when `presented` is the secret itself. */
export function secretMatches(secret: string, presented: string): boolean {
  return timingSafeEqual(digest(presented), digest(secret));
}
