// `npm run bench -- [options]`: what to run and how big.

import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [options]

  --quick            small N and one repetition, for trying things (writes bench/results/quick-latest.md)
  --reps N           repetitions per scenario and server (default 3; quick 1)
  --scenario A,B     only these scenarios or standalone benchmarks (see --list)
  --servers A,B      only these servers (herald, node-http, better-sse, ...; see --list)
  --no-standalone    skip the standalone bench/*-bench.ts scripts
  --profile          instead of the scenarios: profile the servers with --cpu-prof under the
                     fan-out load and write bench/results/profile-<server>-<date>.md
  --list             list scenarios, servers and standalone benchmarks
  --help             this text`;

export interface BenchOptions {
  quick: boolean;
  repetitions: number;
  scenarios: string[] | null;
  servers: string[] | null;
  standalone: boolean;
  profile: boolean;
  list: boolean;
  help: boolean;
}

function list(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      scenario: { type: 'string' },
      servers: { type: 'string' },
      'no-standalone': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick === true;
  const repetitions = values.reps === undefined ? (quick ? 1 : 3) : Number(values.reps);
  if (!Number.isInteger(repetitions) || repetitions < 1 || repetitions > 20) {
    throw new Error(`expected --reps to be a whole number from 1 to 20, got ${JSON.stringify(values.reps)}`);
  }
  return {
    quick,
    repetitions,
    scenarios: list(values.scenario),
    servers: list(values.servers),
    standalone: values['no-standalone'] !== true,
    profile: values.profile === true,
    list: values.list === true,
    help: values.help === true,
  };
}
