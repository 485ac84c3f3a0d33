// Reading a request body with a size limit. A declared Content-Length over the limit
// is refused before reading; otherwise reading stops as soon as the limit is passed,
// so an oversized body never sits in memory.

import type { IncomingMessage } from 'node:http';
import { HeraldError } from '../protocol/errors.ts';

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit, `${declared} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
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
