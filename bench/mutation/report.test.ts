// The mutation report writer, fed a report in Stryker's JSON schema: counts per
// module, survivors with file:line and the code they change, equivalent reasons
// matched by code (not by line, which moves), and the hand-written parts of
// mutation.md kept when the table is rewritten.

import { describe, expect, it } from 'vitest';
import {
  type EquivalentMutant,
  type StrykerMutant,
  type StrykerReport,
  GENERATED_END,
  GENERATED_START,
  explain,
  mergeModules,
  modulesOf,
  mutationMarkdown,
  ranBroken,
  replaceGenerated,
  staleEquivalents,
} from './report.ts';

const SOURCE = ['export function clamp(n: number): number {', '  if (n < 0) return 0;', '  return Math.min(n, 10);', '}', ''].join('\n');

function mutant(status: StrykerMutant['status'], mutatorName: string, line: number, start: number, end: number, replacement: string): StrykerMutant {
  return { mutatorName, replacement, status, location: { start: { line, column: start }, end: { line, column: end } } };
}

const REPORT: StrykerReport = {
  files: {
    'src/clamp.ts': {
      source: SOURCE,
      mutants: [
        mutant('Killed', 'EqualityOperator', 2, 7, 12, 'n <= 0'),
        mutant('Timeout', 'BlockStatement', 1, 42, 2, '{}'),
        mutant('Survived', 'MethodExpression', 3, 10, 25, 'Math.max(n, 10)'),
        mutant('NoCoverage', 'ConditionalExpression', 2, 7, 12, 'false'),
        mutant('CompileError', 'StringLiteral', 3, 1, 2, '""'),
        mutant('Ignored', 'ArithmeticOperator', 3, 1, 2, 'x'),
        { ...mutant('Ignored', 'StringLiteral', 1, 1, 2, '""'), statusReason: 'Static mutant (and "ignoreStatic" was enabled)' },
      ],
    },
  },
};

describe('modulesOf', () => {
  it('counts a module: timeouts as killed, compile errors apart, ignored mutants not at all', () => {
    const [module] = modulesOf(REPORT, '2026-01-02');
    expect(module).toMatchObject({ file: 'src/clamp.ts', ranOn: '2026-01-02', mutants: 5, killed: 2, survived: 1, noCoverage: 1, errors: 1 });
  });

  it('counts the static mutants a run left out, apart from those ignored for other reasons', () => {
    expect(modulesOf(REPORT, 'd')[0]!.staticLeftOut).toBe(1);
  });

  it('records the globs of a narrowed test set, and none for the whole set', () => {
    expect(modulesOf(REPORT, 'd', ['server/protocol/*.test.ts'])[0]!.testSet).toEqual(['server/protocol/*.test.ts']);
    expect(modulesOf(REPORT, 'd', [])[0]).not.toHaveProperty('testSet');
    expect(modulesOf(REPORT, 'd')[0]).not.toHaveProperty('testSet');
  });

  it('lists survivors and uncovered mutants by line with the code they replace', () => {
    const [module] = modulesOf(REPORT, '2026-01-02');
    expect(module!.survivors).toEqual([
      { line: 2, mutator: 'ConditionalExpression', original: 'n < 0', replacement: 'false', status: 'NoCoverage' },
      { line: 3, mutator: 'MethodExpression', original: 'Math.min(n, 10)', replacement: 'Math.max(n, 10)', status: 'Survived' },
    ]);
  });

  it('collapses a multi-line original to one line', () => {
    const report: StrykerReport = { files: { 'a.ts': { source: SOURCE, mutants: [mutant('Survived', 'BlockStatement', 1, 42, 1, '{}')] } } };
    report.files['a.ts']!.mutants[0]!.location.end = { line: 4, column: 2 };
    expect(modulesOf(report, 'd')[0]!.survivors[0]!.original).toBe('{ if (n < 0) return 0; return Math.min(n, 10); }');
  });
});

describe('equivalent mutants', () => {
  const module = modulesOf(REPORT, 'd')[0]!;
  const entry = (line: number, reason: string): EquivalentMutant => ({
    file: 'src/clamp.ts',
    line,
    mutator: 'MethodExpression',
    original: 'Math.min(n,  10)',
    replacement: 'Math.max(n, 10)',
    reason,
  });

  it('matches a survivor by file, mutator and code even after its line moved, nearest line first', () => {
    const reasons = explain(module, [entry(40, 'far'), entry(5, 'near')]);
    expect(reasons.map((r) => r?.reason)).toEqual([undefined, 'near']);
  });

  it('gives each entry to the survivor nearest its line, whatever order the survivors come in', () => {
    const twice: StrykerReport = {
      files: { 'src/clamp.ts': { source: SOURCE, mutants: [mutant('Survived', 'EqualityOperator', 2, 7, 12, 'n <= 0'), mutant('Survived', 'EqualityOperator', 2, 7, 12, 'n <= 0')] } },
    };
    const both = modulesOf(twice, 'd')[0]!;
    both.survivors[1] = { ...both.survivors[1]!, line: 30 };
    const far: EquivalentMutant = { file: 'src/clamp.ts', line: 30, mutator: 'EqualityOperator', original: 'n < 0', replacement: 'n <= 0', reason: 'far' };
    expect(explain(both, [far]).map((r) => r?.reason)).toEqual([undefined, 'far']);
  });

  it('does not match other code or another file', () => {
    expect(explain(module, [{ ...entry(3, 'x'), replacement: 'Math.max(n, 11)' }])).toEqual([undefined, undefined]);
    expect(explain(module, [{ ...entry(3, 'x'), file: 'src/other.ts' }])).toEqual([undefined, undefined]);
  });

  it('reports entries that no survivor of a run module matches any more', () => {
    const used = entry(3, 'used');
    const stale = { ...entry(3, 'stale'), original: 'gone()' };
    const otherModule = { ...entry(3, 'not run'), file: 'src/not-run.ts' };
    expect(staleEquivalents([module], [used, stale, otherModule])).toEqual([stale]);
  });
});

describe('mutationMarkdown', () => {
  it('writes one row per module with the score with and without the equivalents, and every survivor', () => {
    const [module] = modulesOf(REPORT, '2026-01-02');
    const equivalent: EquivalentMutant = { file: 'src/clamp.ts', line: 3, mutator: 'MethodExpression', original: 'Math.min(n, 10)', replacement: 'Math.max(n, 10)', reason: 'n is never above 10' };
    const text = mutationMarkdown([module!], [equivalent]);
    expect(text).toContain('| src/clamp.ts | 5 | 2 | 1 | 1 | 1 | 50.0% | 66.7% | 1 | all | 2026-01-02 |');
    expect(text).toContain('- src/clamp.ts:2 ConditionalExpression `n < 0` -> `false` (no test reaches it): **not explained**');
    expect(text).toContain('- src/clamp.ts:3 MethodExpression `Math.min(n, 10)` -> `Math.max(n, 10)`: equivalent: n is never above 10');
  });

  it('says so when nothing survived', () => {
    const killed: StrykerReport = { files: { 'a.ts': { source: SOURCE, mutants: [mutant('Killed', 'EqualityOperator', 2, 7, 12, 'n <= 0')] } } };
    const text = mutationMarkdown(modulesOf(killed, 'd'), []);
    expect(text).toContain('| a.ts | 1 | 1 | 0 | 0 | 0 | 100.0% | 100.0% | 0 | all | d |');
    expect(text).toContain('### Surviving mutants\n\nNone.');
  });

  it('names the test globs of a narrowed run under the table, and says when a row predates the static count', () => {
    const killed: StrykerReport = { files: { 'a.ts': { source: SOURCE, mutants: [mutant('Killed', 'EqualityOperator', 2, 7, 12, 'n <= 0')] } } };
    const [narrowed] = modulesOf(killed, 'd', ['a.test.ts', 'b.test.ts']);
    const { staticLeftOut: _, ...old } = { ...narrowed!, file: 'old.ts', testSet: undefined };
    const text = mutationMarkdown([narrowed!, old], []);
    expect(text).toContain('| a.ts | 1 | 1 | 0 | 0 | 0 | 100.0% | 100.0% | 0 | narrowed (below) | d |');
    expect(text).toContain('| old.ts | 1 | 1 | 0 | 0 | 0 | 100.0% | 100.0% | not recorded | all | d |');
    expect(text).toContain('Narrowed test sets:\n\n- a.ts: `a.test.ts`, `b.test.ts`\n');
  });
});

describe('ranBroken', () => {
  it('is a module most of whose mutants errored, as when a worker is killed mid-run, and not one with a few compile errors', () => {
    const killedWorker: StrykerReport = {
      files: { 'a.ts': { source: SOURCE, mutants: [mutant('Killed', 'EqualityOperator', 2, 7, 12, 'n <= 0'), mutant('RuntimeError', 'BlockStatement', 1, 42, 2, '{}'), mutant('RuntimeError', 'StringLiteral', 3, 1, 2, '""')] } },
    };
    expect(ranBroken(modulesOf(killedWorker, 'd')[0]!)).toBe(true);
    expect(ranBroken(modulesOf(REPORT, 'd')[0]!)).toBe(false);
  });
});

describe('merging runs and rewriting the document', () => {
  it('replaces the rows of the modules a run mutated and keeps the others', () => {
    const old = modulesOf(REPORT, 'old');
    const other = { ...old[0]!, file: 'src/other.ts' };
    const merged = mergeModules([other, ...old], modulesOf(REPORT, 'new'));
    expect(merged.map((m) => [m.file, m.ranOn])).toEqual([
      ['src/clamp.ts', 'new'],
      ['src/other.ts', 'old'],
    ]);
  });

  it('rewrites only the generated block, keeping what is written above and below it', () => {
    const first = replaceGenerated('# Title\n\nBefore table.\n', 'table one');
    expect(first).toBe(`# Title\n\nBefore table.\n\n${GENERATED_START}\ntable one\n${GENERATED_END}\n`);
    const second = replaceGenerated(`${first}\nNotes below.\n`, 'table two');
    expect(second).toBe(`# Title\n\nBefore table.\n\n${GENERATED_START}\ntable two\n${GENERATED_END}\n\nNotes below.\n`);
  });
});
