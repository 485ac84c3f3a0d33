import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'server/**/*.test.ts',
      'main/**/*.test.ts',
      'renderer/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // Tests start real servers and child processes; on a 2-core CI machine a few
    // files at a time keeps timings honest without starving the servers.
    // The default report, then one plain closing line for CI (see the reporter).
    reporters: ['default', './test/support/closing-line-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
