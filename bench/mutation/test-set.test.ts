// The narrowed mutation test set read from HERALD_MUTATION_TESTS.

import { describe, expect, it } from 'vitest';
import { narrowedTestSet } from './test-set.ts';

describe('narrowedTestSet', () => {
  it('is the comma-separated globs, trimmed, empty items left out', () => {
    expect(narrowedTestSet({ HERALD_MUTATION_TESTS: ' a.test.ts, server/**/*.test.ts ,,' })).toEqual(['a.test.ts', 'server/**/*.test.ts']);
  });

  it('is undefined when unset or naming no glob, so the whole set runs', () => {
    expect(narrowedTestSet({})).toBeUndefined();
    expect(narrowedTestSet({ HERALD_MUTATION_TESTS: ' , ' })).toBeUndefined();
  });
});
