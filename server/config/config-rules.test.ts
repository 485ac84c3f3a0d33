import { describe, expect, it } from 'vitest';
import { configProblems } from './load-config.ts';

describe('job run limits in the config', () => {
  it('accepts caps on runs going at once, per overlapping job and for the server', () => {
    expect(configProblems({ server: { maxConcurrentJobRuns: 8 }, jobs: { build: { command: 'make', overlap: true, maxConcurrentRuns: 2 } } })).toEqual([]);
  });

  it('refuses a per-job cap on a job that runs one at a time, and caps that are not whole numbers from 1', () => {
    expect(configProblems({ server: { maxConcurrentJobRuns: 0 }, jobs: { solo: { command: 'make', maxConcurrentRuns: 2 }, half: { command: 'x', overlap: true, maxConcurrentRuns: 1.5 } } })).toEqual([
      'server.maxConcurrentJobRuns: expected a whole number of at least 1, got 0',
      'jobs.half.maxConcurrentRuns: expected a whole number, got 1.5',
      'jobs.solo.maxConcurrentRuns: only applies with "overlap": true (without it, one run at a time)',
    ]);
  });
});
