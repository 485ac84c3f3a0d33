// `npm run test:mutation`: Stryker on the core modules (stryker.config.mjs), then the
// per-module table and survivors in bench/results/mutation.md (see ./report.ts).
// Arguments go to Stryker, e.g. `npm run test:mutation -- --mutate server/protocol/topics.ts`
// for one module or `-- --concurrency 1` on a busy machine. `--report-only` skips
// Stryker and rewrites mutation.md from the last report (after editing
// equivalent-mutants.json).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EquivalentMutant,
  type ModuleResult,
  type StrykerReport,
  mergeModules,
  modulesOf,
  ranBroken,
  mutationMarkdown,
  replaceGenerated,
  staleEquivalents,
} from './report.ts';
import { narrowedTestSet } from './test-set.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STRYKER_BIN = path.join(ROOT, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const STRYKER_REPORT = path.join(ROOT, 'reports/mutation/mutation.json');
const EQUIVALENTS = path.join(ROOT, 'bench/mutation/equivalent-mutants.json');
const STORED = path.join(ROOT, 'bench/results/mutation.json');
const MARKDOWN = path.join(ROOT, 'bench/results/mutation.md');

const HEADER = `# Mutation testing of the core modules

\`npm run test:mutation\` (Stryker, see docs/testing.md). The table below is rewritten by
each run; a run of one module replaces that module's row.
`;

function readJson<T>(file: string, fallback: T): T {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback;
}

function runStryker(args: string[]): number {
  const result = spawnSync(process.execPath, [STRYKER_BIN, 'run', ...args], { cwd: ROOT, stdio: 'inherit' });
  return result.status ?? 1;
}

function updateReport(): void {
  if (!existsSync(STRYKER_REPORT)) throw new Error(`expected Stryker's JSON report at ${STRYKER_REPORT}, found none: run without --report-only first`);
  const report = JSON.parse(readFileSync(STRYKER_REPORT, 'utf8')) as StrykerReport;
  const ranOn = new Date().toISOString().slice(0, 10);
  const ran = modulesOf(report, ranOn, narrowedTestSet());
  for (const m of ran.filter(ranBroken)) {
    console.log(`mutation: ${m.file} not stored: ${m.errors} of its ${m.mutants} mutants errored (a worker killed or crashing), so the run says nothing about it`);
  }
  const fresh = ran.filter((m) => !ranBroken(m));
  const stored = readJson<ModuleResult[]>(STORED, []).filter((m) => existsSync(path.join(ROOT, m.file)));
  const modules = mergeModules(stored, fresh);
  const equivalents = readJson<EquivalentMutant[]>(EQUIVALENTS, []);
  writeFileSync(STORED, `${JSON.stringify(modules, null, 2)}\n`);
  const document = existsSync(MARKDOWN) ? readFileSync(MARKDOWN, 'utf8') : HEADER;
  writeFileSync(MARKDOWN, replaceGenerated(document, mutationMarkdown(modules, equivalents)));
  console.log(`mutation: ${fresh.length} module(s) updated in ${path.relative(ROOT, MARKDOWN)}`);
  for (const e of staleEquivalents(modules, equivalents)) {
    console.log(`mutation: equivalent-mutants.json entry matches no survivor now (killed, or the code moved): ${e.file}:${e.line} ${e.mutator} ${e.original} -> ${e.replacement}`);
  }
}

const args = process.argv.slice(2);
if (args.includes('--report-only')) {
  updateReport();
} else {
  const status = runStryker(args);
  if (status !== 0) process.exit(status);
  updateReport();
}
