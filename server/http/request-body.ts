// Reading a request body with a size limit and a deadline. A declared Content-Length
// over the limit is refused before reading; otherwise reading stops as soon as the
// limit is passed, so an oversized body never sits in memory. A body that has not
// fully arrived by the deadline (a slowloris client trickling bytes) is answered 408
// and its connection closed, so it cannot hold the request open.

import type { IncomingMessage } from 'node:http';
import { HeraldError } from '../protocol/errors.ts';
import { systemClock, type Clock } from '../protocol/clock.ts';
import { DEFAULT_LIMITS } from '../server-limits.ts';

export interface BodyDeadline {
  /** Whose timers measure the deadline (tests pass a manual clock). */
  clock?: Clock;
  /** Default: DEFAULT_LIMITS.bodyTimeoutMs. */
  timeoutMs?: number;
}

export function readBody(req: IncomingMessage, limit: number, deadline: BodyDeadline = {}): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit, `${declared} bytes`));
  }
  const clock = deadline.clock ?? systemClock;
  const timeoutMs = deadline.timeoutMs ?? DEFAULT_LIMITS.bodyTimeoutMs;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = clock.setTimeout(() => {
      cleanup();
      req.pause();
      reject(new HeraldError('request_timeout', `expected the whole body within ${timeoutMs / 1000} s, got ${size} bytes by then`));
    }, timeoutMs);
    const cleanup = (): void => {
      clock.clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit, 'more'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new HeraldError('bad_request', `could not read the request body: ${error.message}`));
    };
    const onClose = (): void => {
      cleanup();
      reject(new HeraldError('bad_request', 'the request body ended early'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(limit: number, got: string): HeraldError {
  return new HeraldError('too_large', `expected a body of at most ${limit} bytes, got ${got}`);
}

/** The media type of a request, lower-cased, without parameters (`text/plain`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The `charset` parameter of the Content-Type, lower-cased and unquoted, or null. */
export function charsetOf(req: IncomingMessage): string | null {
  for (const param of (req.headers['content-type'] ?? '').split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return null;
}

const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * Refuse (415) a body this server would misread: one declared in a charset other
 * than UTF-8, or compressed (RFC 9110, 8.4: a server that does not accept a content
 * coding answers 415). Found by test/fuzz-publish.test.ts, where such bodies were
 * stored as if they were plain UTF-8.
 */
export function checkBodyEncoding(req: IncomingMessage): void {
  const charset = charsetOf(req);
  if (charset !== null && !UTF8_CHARSETS.has(charset)) {
    throw new HeraldError('unsupported_media_type', `expected a UTF-8 body (charset=utf-8 or none), got charset=${charset.slice(0, 40)}`);
  }
  const coding = req.headers['content-encoding']?.trim().toLowerCase();
  if (coding !== undefined && coding !== '' && coding !== 'identity') {
    throw new HeraldError('unsupported_media_type', `expected an uncompressed body (no Content-Encoding), got Content-Encoding ${JSON.stringify(coding.slice(0, 40))}`);
  }
}
