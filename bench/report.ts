// Turns a benchmark's samples into markdown: per scenario, one table with each
// figure's median for Herald and each reference side by side and the ratios, the
// issue's targets met or not, failed runs, and every run's raw figures. Written to
// bench/results/<date>-<scenario>.md and, for a run of every scenario,
// bench/results/latest.md and latest.json (quick runs go to
// bench/results/quick-latest.md so they never replace full figures).

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MachineDescription, machineMarkdown } from './machine.ts';
import type { Figure, Medians, Sample, Scenario, Verdict } from './scenario.ts';
import { mediansOf } from './scenario.ts';
import type { StandaloneResult } from './standalone-benchmarks.ts';

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export interface ScenarioRun {
  target: string;
  repetition: number;
  sample: Sample;
  seconds: number;
  /** 1-minute load average when the run ended: how busy the shared machine was. */
  load: number;
}

export interface ScenarioOutcome {
  scenario: Scenario;
  runs: ScenarioRun[];
  /** Targets that could not run, and why. */
  skipped: { target: string; reason: string }[];
}

export interface BenchReport {
  startedAt: Date;
  seconds: number;
  quick: boolean;
  /** True when every scenario ran (not a `--scenario` selection): only then is latest.md replaced. */
  complete: boolean;
  command: string;
  machine: MachineDescription;
  outcomes: ScenarioOutcome[];
  standalone: StandaloneResult[];
}

function formatNumber(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function labelOf(figure: Figure): string {
  return figure.unit ? `${figure.label} (${figure.unit})` : figure.label;
}

export function mediansByTarget(outcome: ScenarioOutcome): Medians {
  const out = new Map<string, Record<string, number | null>>();
  for (const target of outcome.scenario.targets) {
    const samples = outcome.runs.filter((r) => r.target === target.name).map((r) => r.sample);
    if (samples.length > 0) out.set(target.name, mediansOf(samples, outcome.scenario.figures));
  }
  return out;
}

function ratio(subject: number | null | undefined, baseline: number | null | undefined): string {
  if (typeof subject !== 'number' || typeof baseline !== 'number' || baseline === 0) return '';
  return `${(subject / baseline).toFixed(2)}x`;
}

function figuresTable(outcome: ScenarioOutcome, medians: Medians): string {
  const targets = outcome.scenario.targets.filter((t) => medians.has(t.name));
  const [subject, ...baselines] = targets;
  if (subject === undefined) return '_No run completed._';
  const header = ['figure (median)', ...targets.map((t) => t.label), ...baselines.map((b) => `${subject.label} ÷ ${b.label}`), 'better'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const figure of outcome.scenario.figures) {
    const values = targets.map((t) => formatNumber(medians.get(t.name)?.[figure.key], figure.digits));
    const ratios = baselines.map((b) =>
      figure.better === null ? '' : ratio(medians.get(subject.name)?.[figure.key], medians.get(b.name)?.[figure.key]),
    );
    const better = figure.better === 'higher' ? 'higher' : figure.better === 'lower' ? 'lower' : '';
    lines.push(`| ${labelOf(figure)} | ${[...values, ...ratios, better].join(' | ')} |`);
  }
  return lines.join('\n');
}

function verdictLines(verdicts: readonly Verdict[]): string {
  return verdicts.map((v) => `- ${v.met === null ? 'NOT JUDGED' : v.met ? 'MET' : 'NOT MET'}: ${v.goal} (${v.detail})`).join('\n');
}

function runsTable(outcome: ScenarioOutcome): string {
  const figures = outcome.scenario.figures;
  const header = ['run', 'target', 's', 'load', ...figures.map((f) => f.key)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const run of outcome.runs) {
    const cells = figures.map((f) => formatNumber(run.sample.values[f.key], f.digits));
    lines.push(`| ${run.repetition} | ${run.target} | ${run.seconds.toFixed(0)} | ${run.load.toFixed(1)} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function failedRuns(outcome: ScenarioOutcome): ScenarioRun[] {
  return outcome.runs.filter((r) => r.sample.problems.length > 0);
}

export function scenarioVerdicts(outcome: ScenarioOutcome): Verdict[] {
  return outcome.scenario.verdicts?.(mediansByTarget(outcome)) ?? [];
}

export function scenarioMarkdown(outcome: ScenarioOutcome): string {
  const medians = mediansByTarget(outcome);
  const reps = new Set(outcome.runs.map((r) => r.repetition)).size;
  const parts = [`## ${outcome.scenario.title}`, '', outcome.scenario.description, '', `Medians of ${reps} run(s) per server.`, '', figuresTable(outcome, medians)];
  const verdicts = scenarioVerdicts(outcome);
  if (verdicts.length > 0) parts.push('', '**Targets**', '', verdictLines(verdicts));
  const failed = failedRuns(outcome);
  if (failed.length > 0) {
    parts.push('', '**Failed runs**', '');
    for (const run of failed) parts.push(`- FAILED run ${run.repetition} against ${run.target}: ${run.sample.problems.join('; ')}`);
  }
  const notes = outcome.runs.filter((r) => r.sample.notes.length > 0);
  if (notes.length > 0) {
    parts.push('', '**Notes**', '');
    for (const run of notes) parts.push(`- run ${run.repetition}, ${run.target}: ${run.sample.notes.join('; ')}`);
  }
  for (const skip of outcome.skipped) parts.push('', `- skipped ${skip.target}: ${skip.reason}`);
  parts.push('', '<details><summary>Every run (load = 1-minute load average at its end)</summary>', '', runsTable(outcome), '', '</details>');
  return parts.join('\n');
}

function header(report: BenchReport, title: string): string {
  return [
    `# ${title}`,
    '',
    `${report.startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC, ${report.quick ? 'quick mode (small N, one repetition: for trying things, not for quoting)' : 'full run'}, ` +
      `took ${(report.seconds / 60).toFixed(1)} min. Command: \`${report.command}\`.`,
    '',
    machineMarkdown(report.machine),
    '',
    'Every server runs as its own process on 127.0.0.1 and the load comes from another process (raw-socket ' +
      'subscribers and keep-alive publishers). Herald runs with its SQLite log on. Servers are interleaved in ' +
      'each repetition. Ratios are Herald ÷ baseline; "better" says which way is better for that figure.',
  ].join('\n');
}

function standaloneMarkdown(result: StandaloneResult): string {
  const status = result.exitCode === 0 ? 'ok' : `FAILED (exit ${result.exitCode ?? 'signal'})`;
  // The script's own headings go two levels down, under this section's.
  const output = result.output.trim().replace(/^(#{1,4}) /gm, '##$1 ');
  return [`## ${result.name} (\`node ${result.file}\`): ${status}, ${result.seconds.toFixed(0)} s`, '', output].join('\n');
}

export function reportMarkdown(report: BenchReport): string {
  const verdicts = report.outcomes.flatMap(scenarioVerdicts);
  const parts = [header(report, 'Herald benchmark')];
  if (verdicts.length > 0) parts.push('## Targets\n\n' + verdictLines(verdicts));
  for (const outcome of report.outcomes) parts.push(scenarioMarkdown(outcome));
  for (const result of report.standalone) parts.push(standaloneMarkdown(result));
  return parts.join('\n\n') + '\n';
}

/** Writes the report files and returns their paths. */
export function writeReport(report: BenchReport, resultsDir = RESULTS_DIR): string[] {
  mkdirSync(resultsDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    const file = path.join(resultsDir, name);
    writeFileSync(file, text);
    written.push(file);
  };
  if (report.quick) {
    write('quick-latest.md', reportMarkdown(report));
    return written;
  }
  const date = report.startedAt.toISOString().slice(0, 10);
  for (const outcome of report.outcomes) {
    write(`${date}-${outcome.scenario.name}.md`, `${header(report, `Herald benchmark: ${outcome.scenario.name}`)}\n\n${scenarioMarkdown(outcome)}\n`);
  }
  if (!report.complete) return written;
  write('latest.md', reportMarkdown(report));
  write(
    'latest.json',
    JSON.stringify(
      {
        startedAt: report.startedAt,
        machine: report.machine,
        scenarios: report.outcomes.map((o) => ({ name: o.scenario.name, runs: o.runs, medians: Object.fromEntries(mediansByTarget(o)) })),
      },
      null,
      1,
    ),
  );
  return written;
}
