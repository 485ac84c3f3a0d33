// JSON answers. Every 4xx/5xx is `{ error, code }` (ErrorBody), whatever went wrong.

import type { ServerResponse } from 'node:http';
import { HeraldError } from '../protocol/errors.ts';
import type { ErrorBody } from '../protocol/events.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Turn anything thrown by a route into a JSON error answer (500 hides internals). */
export function sendError(res: ServerResponse, error: unknown, extraHeaders: Record<string, string> = {}): void {
  const known = error instanceof HeraldError ? error : null;
  const body: ErrorBody = known
    ? { error: known.message, code: known.code }
    : { error: 'internal server error', code: 'internal' };
  const headers: Record<string, string> = { ...extraHeaders };
  if (known?.retryAfterSec !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(known.retryAfterSec)));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, known?.status ?? 500, body, headers);
}
