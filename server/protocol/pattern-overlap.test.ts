// The pattern algebra's answers are checked by brute force in server/tokens/scopes.test.ts;
// here, what it does with a pattern that is not one.

import { describe, expect, it } from 'vitest';
import { patternCovers, patternOverlap } from './pattern-overlap.ts';

describe('pattern algebra', () => {
  it('refuses a pattern that is not valid, with the reason, on either side', () => {
    for (const [outer, inner] of [
      ['a/**/b', 'a'],
      ['a', 'a/**/b'],
      ['a b', 'a'],
    ]) {
      expect(() => patternCovers(outer!, inner!), `${outer} ${inner}`).toThrow(/expected a topic pattern|"\*\*" may only be the last segment/);
      expect(() => patternOverlap(outer!, inner!), `${outer} ${inner}`).toThrow(/expected a topic pattern|"\*\*" may only be the last segment/);
    }
  });
});
