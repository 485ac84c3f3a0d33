// One error class with a typed code, which maps to an HTTP status and a JSON error
// (docs/protocol.md, "Errors"). Messages a user can see say what was expected and
// what arrived.

import { cutWithin } from './graphemes.ts';

export const ERROR_STATUS = {
  bad_request: 400,
  bad_json: 400,
  bad_topic: 400,
  bad_id: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  expectation_failed: 417,
  rate_limited: 429,
  too_many: 429,
  headers_too_large: 431,
  unavailable: 503,
  bad_config: 500,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class HeraldError extends Error {
  readonly code: ErrorCode;
  /** Seconds, for 429 and 503 answers. */
  readonly retryAfterSec: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSec?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HeraldError';
    this.code = code;
    this.retryAfterSec = options?.retryAfterSec;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The message of anything thrown (an Error's message or name, else its string form). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.constructor.name;
  return String(error);
}

/** A short, readable description of a value for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${cutWithin(value, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'object') return 'an object';
  return String(value);
}
