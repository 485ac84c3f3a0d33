// The long soak: `node bench/soak.ts --minutes 10` runs bench/soak/soak-run.ts with a
// SIGKILL every minute and writes bench/results/soak.md. Exits 1 when anything was
// lost, duplicated or reordered (the report says what). test/soak-short.test.ts runs
// the same soak for 30 s in CI.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, machineMarkdown } from './machine.ts';
import { RESULTS_DIR } from './report.ts';
import { runSoak } from './soak/soak-run.ts';
import { soakReport } from './soak/soak-report.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'kill-every-sec': { type: 'string', default: '60' },
    publishers: { type: 'string', default: '3' },
    subscribers: { type: 'string', default: '9' },
    eventsource: { type: 'string', default: '2' },
    topics: { type: 'string', default: '6' },
    seed: { type: 'string' },
    out: { type: 'string', default: join(RESULTS_DIR, 'soak.md') },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`usage: node bench/soak.ts [--minutes 10] [--kill-every-sec 60] [--publishers 3] [--subscribers 9]
                          [--eventsource 2] [--topics 6] [--seed N] [--out bench/results/soak.md]`);
  process.exit(0);
}

const number = (name: keyof typeof values, min: number): number => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < min) {
    console.error(`bench/soak.ts: expected --${name} to be a number of at least ${min}, got ${JSON.stringify(values[name])}`);
    process.exit(2);
  }
  return value;
};

const seed = values.seed === undefined ? Date.now() % 1_000_000 : number('seed', 0);
const options = {
  durationMs: number('minutes', 0.1) * 60_000,
  killEveryMs: number('kill-every-sec', 2) * 1000,
  publishers: number('publishers', 1),
  subscribers: number('subscribers', 0),
  eventSourceSubscribers: number('eventsource', 0),
  topics: number('topics', 1),
  publishPauseMs: [20, 60] as [number, number],
  seed,
  catchUpMs: 60_000,
  log: (line: string) => console.log(`soak: ${line}`),
};
const machine = machineMarkdown(describeMachine()).split('\n').map((l) => l.replace(/^- /, ''));
console.log(`soak: ${options.durationMs / 60_000} min, a kill every ${options.killEveryMs / 1000} s, seed ${seed}`);
const result = await runSoak(options);
const report = soakReport(result, {
  command: `node bench/soak.ts ${process.argv.slice(2).join(' ')}`.trim(),
  date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  machine,
});
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(values.out!, report);
console.log(`soak: ${result.events} events, ${result.kills} kills, ${result.reconnects} reconnects, losses ${result.losses}; wrote ${values.out}`);
process.exit(result.losses === 0 && result.caughtUp ? 0 : 1);
