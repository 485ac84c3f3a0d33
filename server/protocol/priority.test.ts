// A message's priority as people and tools write it: numbers, digits and ntfy's names.

import { describe, expect, it } from 'vitest';
import { HeraldError } from './errors.ts';
import { DEFAULT_PRIORITY, parsePriority } from './priority.ts';

describe('parsePriority', () => {
  it('takes nothing, null or an empty string as the default', () => {
    expect([undefined, null, ''].map(parsePriority)).toEqual([DEFAULT_PRIORITY, DEFAULT_PRIORITY, DEFAULT_PRIORITY]);
  });

  it('takes the whole numbers 1 to 5, as numbers or one digit', () => {
    expect([1, 2, 3, 4, 5].map(parsePriority)).toEqual([1, 2, 3, 4, 5]);
    expect(['1', '5', ' 4 '].map(parsePriority)).toEqual([1, 5, 4]);
  });

  it('refuses other numbers and digits that are not one of 1 to 5, saying what arrived', () => {
    for (const raw of [0, 6, 2.5, '0', '6', '15', '51', '05', '5x']) {
      expect(() => parsePriority(raw), String(raw)).toThrow(/^expected a priority of 1 to 5 or min, low, default, high, max, urgent; got /);
    }
    expect(() => parsePriority('15')).toThrow(/got "15"$/);
  });

  it('refuses as a bad request, so the publish route answers 400', () => {
    let thrown: unknown;
    try {
      parsePriority('loud');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HeraldError);
    expect((thrown as HeraldError).code).toBe('bad_request');
  });
});
