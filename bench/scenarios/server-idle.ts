// The idle cost of the server a desktop user runs all day: the embedded server (the
// app's bundle) with its default sources and no client, CPU averaged over 60 s (after
// 5 s to start up) and RSS sampled every 5 s; `herald serve` run from the TypeScript
// sources beside it, to show what loading them costs. Measured once per invocation.

import { CpuMeter } from '../proc-stats.ts';
import type { Scenario } from '../scenario.ts';
import { emptySample } from '../scenario.ts';
import { HERALD_EMBEDDED } from '../embedded-server-target.ts';
import { HERALD } from '../targets.ts';
import { kibToMib, sleep } from './load-session.ts';

const RSS_TARGET_MIB = 60;
const CPU_TARGET_PCT = 1;

export const serverIdle: Scenario = {
  name: 'server-idle',
  title: 'Idle cost of the server (default sources, no clients)',
  description:
    'The embedded server (main/app/bundled-server/bundled-server-entry.ts bundled as scripts/build.ts does for the app, run by ' +
    'plain Node: the app runs it in an Electron utilityProcess) and `herald serve` from the TypeScript sources, each ' +
    'with its default configuration and no subscribers: after a 5 s start-up, CPU time over 60 s (as % of one core, ' +
    'from /proc/<pid>/stat) and the highest RSS sampled every 5 s (`herald serve`: 20 s). Quick mode: 10 s.',
  figures: [
    { key: 'cpuPct', label: 'CPU while idle', unit: '%', better: 'lower', digits: 2 },
    { key: 'rssMaxMiB', label: 'RSS (highest sample)', unit: 'MiB', better: 'lower', digits: 1 },
    { key: 'rssEndMiB', label: 'RSS at end', unit: 'MiB', better: 'lower', digits: 1 },
    { key: 'seconds', label: 'measured for', unit: 's', better: null, digits: 0 },
  ],
  targets: [HERALD_EMBEDDED, HERALD],
  repetitions: () => 1,

  async run(context) {
    // The embedded server is the one judged; the sources run is there for comparison
    // and gets a shorter look, to keep the full benchmark short.
    const seconds = context.quick ? 10 : context.target === HERALD_EMBEDDED ? 60 : 20;
    const sample = emptySample();
    const server = await context.target.start({ workDir: context.workDir });
    try {
      await sleep(5000);
      const meter = new CpuMeter(server.pids);
      meter.start();
      let rssMax = 0;
      for (let waited = 0; waited < seconds; waited += 5) {
        await sleep(Math.min(5, seconds - waited) * 1000);
        rssMax = Math.max(rssMax, server.rssKiB() ?? 0);
      }
      sample.values.cpuPct = meter.percent();
      sample.values.rssMaxMiB = kibToMib(rssMax);
      sample.values.rssEndMiB = kibToMib(server.rssKiB());
      sample.values.seconds = seconds;
    } finally {
      await server.stop();
    }
    return sample;
  },

  verdicts(medians) {
    const m = medians.get(HERALD_EMBEDDED.name);
    const cpu = m?.cpuPct;
    const rss = m?.rssMaxMiB;
    return [
      {
        goal: `embedded server idle: CPU near 0 (under ${CPU_TARGET_PCT}% of a core)`,
        met: typeof cpu === 'number' ? cpu < CPU_TARGET_PCT : null,
        detail: typeof cpu === 'number' ? `${cpu.toFixed(2)}% of one core` : 'not measured',
      },
      {
        goal: `embedded server idle: RSS under ${RSS_TARGET_MIB} MiB`,
        met: typeof rss === 'number' ? rss < RSS_TARGET_MIB : null,
        detail: typeof rss === 'number' ? `${rss.toFixed(1)} MiB` : 'not measured',
      },
    ];
  },
};
