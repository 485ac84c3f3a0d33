// Mutation testing of the core modules (npm run test:mutation; docs/testing.md).
// Stryker changes one expression at a time (a mutant) and runs the tests that cover
// it; a mutant the tests do not notice shows a behaviour no test pins down.
// perTest coverage runs only the tests that reach a mutant, and the test set is the
// unit and in-process tests (vitest.mutation.config.ts), so a module takes minutes
// on two cores. bench/mutation/run.ts turns the JSON report into
// bench/results/mutation.md.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'server/protocol/*.ts',
    '!server/protocol/index.ts',
    'server/hub/*.ts',
    'server/store/event-log.ts',
    'server/store/sqlite-*.ts',
    'server/core/publish-service.ts',
    'main/app/notifications/policy/*.ts',
    'main/app/subscriptions/*.ts',
    '!**/*.test.ts',
    '!**/*-test-support.ts',
  ],
  // The sandbox needs the sources and tests, not build output or local data.
  ignorePatterns: ['dist', 'build', 'release', 'coverage', '.herald-data', 'test-results', 'bench/results', 'reports'],
  concurrency: 2,
  // Servers under test keep real timers; a loaded machine needs slack before a slow
  // mutant counts as an endless loop.
  timeoutMS: 10_000,
  reporters: ['progress', 'clear-text', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  thresholds: { high: 90, low: 80, break: null },
};
