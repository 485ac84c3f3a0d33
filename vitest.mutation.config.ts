// The tests a mutation run (npm run test:mutation, see docs) runs against mutated
// core modules: the unit tests beside those modules and the in-process server
// tests. No Chromium, Redis, child-process or Electron tests: they do not add
// coverage of the core that these miss, and they would make a run take hours.

import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';
import { UnitTestsFirst } from './bench/mutation/unit-tests-first.ts';
import { narrowedTestSet } from './bench/mutation/test-set.ts';

// HERALD_MUTATION_TESTS=glob,glob narrows the set for one run. A static mutant (a
// module-level constant, set once at import) cannot be traced to the tests that read
// it, so Stryker runs the whole set for each one; a module with hundreds of them (a
// data table) is measured in minutes against the tests that use it. Fewer tests can
// only kill fewer mutants, so a narrowed run never scores higher than a full one.
const narrowed = narrowedTestSet();

export default defineConfig({
  test: {
    ...base.test,
    include: narrowed ?? [
      'server/protocol/**/*.test.ts',
      'server/hub/**/*.test.ts',
      'server/store/sqlite-*.test.ts',
      'server/core/**/*.test.ts',
      'server/http/publish-request.test.ts',
      // The pattern algebra of server/protocol/pattern-overlap.ts, checked by brute force.
      'server/tokens/scopes.test.ts',
      'main/app/notifications/policy/**/*.test.ts',
      'main/app/subscriptions/**/*.test.ts',
      'main/app/settings/**/*.test.ts',
      'server/config/**/*.test.ts',
      'test/server-stream.test.ts',
      'test/server-publish.test.ts',
      'test/server-limits.test.ts',
      'test/server-backpressure.test.ts',
      // The taken-over socket: HTTP/1.0 framing and the fallback to node:http.
      'test/server-stream-socket.test.ts',
      'test/server-disk.test.ts',
      'test/fuzz-frames.test.ts',
      'test/fuzz-publish.test.ts',
    ],
    reporters: ['default'],
    sequence: { sequencer: UnitTestsFirst },
  },
});
