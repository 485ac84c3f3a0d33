// `npm run bench -- --profile`: each server runs under `node --cpu-prof` while the
// fan-out load (2,000 subscribers x 40 msg/s, 15 s) plays against it; its profile is
// summarized into bench/results/profile-<server>.md, so what dominates the hot path is
// written down next to the load figures it was taken under. The raw .cpuprofile stays
// in the temp directory printed (open it in Chrome DevTools, Performance tab).

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CpuProfile, profileMarkdown, summarizeProfile } from './cpu-profile-summary.ts';
import { type MachineDescription, machineMarkdown } from './machine.ts';
import { RESULTS_DIR } from './report.ts';
import type { ServerTarget } from './targets.ts';
import { measureFanout } from './scenarios/fanout.ts';

export interface ProfileOptions {
  quick: boolean;
  workRoot: string;
  machine: MachineDescription;
  log(line: string): void;
}

export async function profileTarget(target: ServerTarget, options: ProfileOptions): Promise<string> {
  const size = options.quick ? { subscribers: 200, messages: 200, rate: 40 } : { subscribers: 2000, messages: 600, rate: 40 };
  const profileDir = path.join(os.tmpdir(), `herald-bench-profiles`, `${target.name}-${Date.now()}`);
  mkdirSync(profileDir, { recursive: true });
  options.log(`profiling ${target.label}: ${size.subscribers} subscribers x ${size.rate}/s for ${size.messages / size.rate} s`);
  const workDir = path.join(options.workRoot, `profile-${target.name}`);
  mkdirSync(workDir, { recursive: true });
  const sample = await measureFanout(
    { target, quick: options.quick, repetition: 1, workDir, previous: [], log: options.log },
    size,
    { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] },
  );
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  const v = sample.values;
  const load = [
    `Load: ${size.subscribers} subscribers, ${size.messages} messages at ${size.rate}/s; ` +
      `delivered ${v.expected !== undefined && v.lost !== undefined && v.expected !== null && v.lost !== null ? v.expected - v.lost : 'n/a'} of ${v.expected ?? 'n/a'}, ` +
      `p50 ${v.p50Ms?.toFixed(2)} ms, p99 ${v.p99Ms?.toFixed(2)} ms, server CPU ${v.serverCpuPct?.toFixed(0)}% of one core ` +
      `(with the profiler on, which adds its own cost).`,
    sample.problems.length > 0 ? `\nProblems during the profiled run: ${sample.problems.join('; ')}` : '',
  ].join('');
  const body =
    file === undefined
      ? `No .cpuprofile was written to ${profileDir} (the server must exit through process.exit or normally on SIGTERM for --cpu-prof to write it).`
      : profileMarkdown(summarizeProfile(JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile));
  const markdown = [
    `# CPU profile: ${target.label} under fan-out load`,
    '',
    `${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC, \`npm run bench -- --profile${options.quick ? ' --quick' : ''}\``,
    '',
    machineMarkdown(options.machine),
    '',
    load,
    '',
    body,
    '',
    file === undefined ? '' : `Raw profile: ${path.join(profileDir, file)}`,
    '',
  ].join('\n');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const out = path.join(RESULTS_DIR, `profile-${target.name}-${date}${options.quick ? "-quick" : ""}.md`);
  writeFileSync(out, markdown);
  return out;
}
