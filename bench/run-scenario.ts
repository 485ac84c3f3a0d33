// Runs one scenario against its targets: every repetition runs each target once, in an
// order rotated per repetition, so that slow drifts of a shared machine (other work,
// thermal) fall on every server alike.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioOutcome } from './report.ts';
import type { Sample, Scenario } from './scenario.ts';
import type { ServerTarget } from './targets.ts';
import { emptySample } from './scenario.ts';

export interface RunScenarioOptions {
  quick: boolean;
  repetitions: number;
  /** Only these target names, or all when null. */
  servers: readonly string[] | null;
  workRoot: string;
  log(line: string): void;
}

function rotate<T>(list: readonly T[], by: number): T[] {
  const n = list.length;
  return n === 0 ? [] : list.map((_, i) => list[(i + by) % n] as T);
}

function summary(scenario: Scenario, sample: Sample): string {
  if (sample.problems.length > 0) return `FAILED: ${sample.problems.join('; ')}`;
  return scenario.figures
    .filter((f) => f.better !== null && typeof sample.values[f.key] === 'number')
    .slice(0, 6)
    .map((f) => `${f.key} ${(sample.values[f.key] as number).toFixed(f.digits)}`)
    .join(', ');
}

export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioOutcome> {
  const outcome: ScenarioOutcome = { scenario, runs: [], skipped: [] };
  const targets: ServerTarget[] = [];
  for (const target of scenario.targets) {
    if (options.servers !== null && !options.servers.includes(target.name)) continue;
    const reason = target.unavailable();
    if (reason === null) targets.push(target);
    else outcome.skipped.push({ target: target.name, reason });
  }
  const repetitions = scenario.repetitions?.(options.quick) ?? options.repetitions;
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (const target of rotate(targets, repetition - 1)) {
      const workDir = mkdtempSync(path.join(options.workRoot, `${scenario.name}-${target.name}-`));
      const started = performance.now();
      options.log(`[${scenario.name} ${repetition}/${repetitions}] ${target.label}`);
      let sample: Sample;
      try {
        sample = await scenario.run({
          target,
          quick: options.quick,
          repetition,
          workDir,
          previous: outcome.runs.filter((r) => r.target === target.name).map((r) => r.sample),
          log: options.log,
        });
      } catch (error) {
        sample = emptySample();
        sample.problems.push(`error: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
      const seconds = (performance.now() - started) / 1000;
      const load = os.loadavg()[0] ?? 0;
      outcome.runs.push({ target: target.name, repetition, sample, seconds, load });
      options.log(`  ${seconds.toFixed(0)} s, load ${load.toFixed(1)}: ${summary(scenario, sample)}`);
    }
  }
  return outcome;
}
