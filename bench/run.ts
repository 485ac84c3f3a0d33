// `npm run bench`: Herald against the node:http floor and better-sse, in one
// invocation, interleaved; then the standalone bench/*-bench.ts scripts. Prints the
// tables and writes bench/results/ (see bench/report.ts). `--help` lists the options.
//
// Bounded: every server and load generator is a child process on 127.0.0.1 that is
// killed at the end, on Ctrl-C, or when the whole run passes its deadline.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killAllChildren } from './child-processes.ts';
import { describeMachine } from './machine.ts';
import { type BenchOptions, USAGE, parseBenchOptions } from './options.ts';
import { profileTarget } from './profile.ts';
import { type BenchReport, type ScenarioOutcome, failedRuns, reportMarkdown, scenarioMarkdown, writeReport } from './report.ts';
import { runScenario } from './run-scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { type StandaloneResult, runStandalone, standaloneBenchmarks } from './standalone-benchmarks.ts';
import { TARGETS } from './targets.ts';

const DEADLINE_MIN = { full: 30, quick: 10, profile: 10 };

function log(line: string): void {
  console.error(line);
}

function listing(): string {
  return [
    'scenarios:',
    ...SCENARIOS.map((s) => `  ${s.name.padEnd(12)} ${s.title}`),
    'servers:',
    ...TARGETS.map((t) => `  ${t.name.padEnd(12)} ${t.label}${t.unavailable() ? ` (unavailable: ${t.unavailable()})` : ''}`),
    'standalone benchmarks:',
    ...standaloneBenchmarks().map((n) => `  ${n}`),
  ].join('\n');
}

function armDeadline(minutes: number): void {
  setTimeout(() => {
    log(`benchmark passed its ${minutes} min deadline: stopping every child process`);
    killAllChildren();
    process.exit(1);
  }, minutes * 60_000).unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
}

async function runProfiles(options: BenchOptions, workRoot: string): Promise<number> {
  const machine = describeMachine();
  const targets = TARGETS.filter((t) => (options.servers === null || options.servers.includes(t.name)) && t.unavailable() === null);
  for (const target of targets) {
    const file = await profileTarget(target, { quick: options.quick, workRoot, machine, log });
    log(`wrote ${path.relative(process.cwd(), file)}`);
  }
  return 0;
}

async function runBenchmarks(options: BenchOptions, workRoot: string): Promise<number> {
  const startedAt = new Date();
  const started = performance.now();
  const machine = describeMachine();
  const wanted = (name: string): boolean => options.scenarios === null || options.scenarios.includes(name);
  const unknown = (options.scenarios ?? []).filter((n) => !SCENARIOS.some((s) => s.name === n) && !standaloneBenchmarks().includes(n));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; --list shows them`);

  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of SCENARIOS.filter((s) => wanted(s.name))) {
    const outcome = await runScenario(scenario, { quick: options.quick, repetitions: options.repetitions, servers: options.servers, workRoot, log });
    outcomes.push(outcome);
    console.log(`\n${scenarioMarkdown(outcome)}\n`);
  }
  const standalone: StandaloneResult[] = [];
  if (options.standalone) {
    for (const name of standaloneBenchmarks().filter(wanted)) {
      log(`[${name}] node bench/${name}.ts${options.quick ? ' --quick' : ''}`);
      standalone.push(await runStandalone(name, options.quick, (text) => process.stderr.write(text)));
    }
  }
  const report: BenchReport = {
    startedAt,
    seconds: (performance.now() - started) / 1000,
    quick: options.quick,
    complete: options.scenarios === null && options.servers === null,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    outcomes,
    standalone,
  };
  for (const file of writeReport(report)) log(`wrote ${path.relative(process.cwd(), file)}`);
  if (options.scenarios !== null) console.log(reportMarkdown(report).split('\n').slice(0, 12).join('\n'));
  const failures = outcomes.flatMap(failedRuns).length + standalone.filter((s) => s.exitCode !== 0).length;
  if (failures > 0) log(`${failures} run(s) failed: see the report`);
  return failures > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    log(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.list) {
    console.log(listing());
    return 0;
  }
  armDeadline(options.profile ? DEADLINE_MIN.profile : options.quick ? DEADLINE_MIN.quick : DEADLINE_MIN.full);
  const workRoot = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-'));
  try {
    return options.profile ? await runProfiles(options, workRoot) : await runBenchmarks(options, workRoot);
  } finally {
    killAllChildren();
    rmSync(workRoot, { recursive: true, force: true });
  }
}

process.exitCode = await main();
