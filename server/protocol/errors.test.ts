// HeraldError and the helpers every "expected X, got Y" message is built with.

import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, HeraldError, describeValue, errorText } from './errors.ts';

describe('HeraldError', () => {
  it('carries its code, the HTTP status of that code and its name', () => {
    const error = new HeraldError('too_many', 'expected at most 5 streams, got 6', { retryAfterSec: 30 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HeraldError');
    expect(String(error)).toBe('HeraldError: expected at most 5 streams, got 6');
    expect([error.code, error.status, error.retryAfterSec]).toEqual(['too_many', 429, 30]);
    expect(new HeraldError('bad_topic', 'x').status).toBe(400);
    expect(new HeraldError('unavailable', 'x').status).toBe(503);
    expect(new HeraldError('internal', 'x').retryAfterSec).toBeUndefined();
  });

  it('keeps the cause it wraps, and has none when given none', () => {
    const cause = new Error('disk full');
    expect(new HeraldError('internal', 'could not append', { cause }).cause).toBe(cause);
    const bare = new HeraldError('internal', 'x', { retryAfterSec: 1 });
    expect('cause' in bare).toBe(false);
  });

  it('maps every code to a 4xx or 5xx status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });
});

describe('errorText', () => {
  it("is an Error's message, or its class name when the message is empty", () => {
    expect(errorText(new Error('connection refused'))).toBe('connection refused');
    expect(errorText(new TypeError(''))).toBe('TypeError');
  });

  it('is the string form of anything else thrown', () => {
    expect(errorText('boom')).toBe('boom');
    expect(errorText(42)).toBe('42');
    expect(errorText(undefined)).toBe('undefined');
  });
});

describe('describeValue', () => {
  it('names null, nothing, arrays and objects in words', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue([])).toBe('an array of 0');
    expect(describeValue({ a: 1 })).toBe('an object');
  });

  it('quotes a string, cutting it after 40 characters', () => {
    expect(describeValue('')).toBe('""');
    expect(describeValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(describeValue('x'.repeat(40))).toBe(JSON.stringify('x'.repeat(40)));
    expect(describeValue('x'.repeat(41))).toBe(JSON.stringify(`${'x'.repeat(40)}…`));
  });

  it('writes numbers and booleans as they are', () => {
    expect(describeValue(42)).toBe('42');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(false)).toBe('false');
  });
});
