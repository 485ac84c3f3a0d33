// Test order for mutation runs: Stryker stops a mutant's run at the first failing
// test, so the fast unit tests beside the modules go first and the real-server tests
// under test/ after them, smaller files first within each group. Vitest's own order
// (slowest file first) suits a full suite, not a run that hopes to stop early.

import { statSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

function rank(spec: TestSpecification): [number, number] {
  const relative = path.relative(spec.project.config.root, spec.moduleId);
  return [relative.startsWith(`test${path.sep}`) ? 1 : 0, statSync(spec.moduleId).size];
}

export class UnitTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ranks = new Map(files.map((spec) => [spec, rank(spec)]));
    return [...files].sort((a, b) => {
      const [groupA, sizeA] = ranks.get(a)!;
      const [groupB, sizeB] = ranks.get(b)!;
      return groupA - groupB || sizeA - sizeB;
    });
  }
}
