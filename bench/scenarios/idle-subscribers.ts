// Memory per connection: 10,000 subscribers that receive nothing but a warm-up event,
// then 8,000 more (18,000: the file-descriptor limit here is 20,000 per process). RSS
// is read from /proc/<pid>/status before they connect and once they have settled; the
// difference divided by the connections is the server's cost of an idle subscriber
// (socket, request and response objects, the hub's entry). The idle CPU of the 10,000
// is measured over two heartbeat periods and a bit, so it includes two heartbeat passes.

import { readFileSync } from 'node:fs';
import { CpuMeter } from '../proc-stats.ts';
import type { Medians, Scenario, Verdict } from '../scenario.ts';
import { emptySample } from '../scenario.ts';
import { BETTER_SSE, HERALD, NODE_HTTP_FLOOR, RAW_NET } from '../targets.ts';
import { connectSubscribers, kibToMib, settledRssKiB, sleep, withLoadSession } from './load-session.ts';
import { CONNECT_FIGURES, MEMORY_FIGURES } from './step-figures.ts';

const SETTLE_MS = 3000;
/** `herald serve`'s default heartbeat (--heartbeat-sec 15). */
const HEARTBEAT_MS = 15_000;
/** Two heartbeats and a second of margin; quick mode measures 3 s. */
const IDLE_CPU_MS = 2 * HEARTBEAT_MS + 1000;
const KIB_TARGET = 8;
const FIRST = 10_000;
const SECOND = 18_000;
// Herald's caps (15,000 in total by default, and on loopback) lifted above 18,000;
// the references ignore options they do not know.
const SERVER_ARGS = ['--max-subscribers', '19000', '--max-subscribers-loopback', '19000'];

/** The soft limit on open files of `pid` (/proc/<pid>/limits), or null. */
function openFilesLimit(pid: number): number | null {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function kibVerdict(medians: Medians, key: string, at: string): Verdict {
  const kib = medians.get(HERALD.name)?.[key];
  const floor = medians.get(RAW_NET.name)?.[key];
  const ratio = typeof kib === 'number' && typeof floor === 'number' && floor > 0 ? `, ${(kib / floor).toFixed(2)}x the raw net floor's ${floor.toFixed(2)}` : '';
  return {
    goal: `${at} idle subscribers: at most ${KIB_TARGET} KiB of server RSS each`,
    met: typeof kib === 'number' ? kib <= KIB_TARGET : null,
    detail: typeof kib === 'number' ? `Herald ${kib.toFixed(2)} KiB per connection${ratio}` : 'not measured',
  };
}

export const idleSubscribers: Scenario = {
  name: 'idle',
  title: 'Idle subscribers: memory per connection at 10,000 and 18,000',
  description:
    '10,000 subscribers connect (250 at a time) and receive one warm-up event; after 3 s of quiet, ' +
    '"KiB per idle connection" = (RSS with them - RSS before) / connections. Server CPU is then measured over ' +
    `${IDLE_CPU_MS / 1000} s (two of Herald's 15 s heartbeat periods, so two heartbeat passes over every stream). ` +
    '8,000 more connect and are warmed up, and the KiB per connection is measured again at 18,000. Each process ' +
    'raises its open-file limit as far as the hard limit allows (the limit the server ran with is reported; 20,000 ' +
    'on the benchmark machine). Herald runs with its subscriber caps raised to 19,000. "raw net sockets" is a `net` ' +
    'server that answers the SSE head and holds the socket, without node:http: what the connection costs Node below ' +
    'any HTTP server. Quick mode: 1,000 and 1,800 subscribers, CPU over 3 s.',
  figures: [
    ...CONNECT_FIGURES,
    { key: 'kibPerConnection', label: 'KiB per idle connection at 10,000', unit: 'KiB', better: 'lower', digits: 2 },
    { key: 'idleCpuPct', label: `server CPU while 10,000 idle (over ${IDLE_CPU_MS / 1000} s)`, unit: '%', better: 'lower', digits: 2 },
    { key: 'subscribers18k', label: 'subscribers connected at the second count', unit: '', better: null, digits: 0 },
    { key: 'connect18kMs', label: 'time to connect the 8,000 more', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'kibPerConnection18k', label: 'KiB per idle connection at 18,000', unit: 'KiB', better: 'lower', digits: 2 },
    { key: 'rss10kMiB', label: 'server RSS with 10,000', unit: 'MiB', better: 'lower', digits: 1 },
    ...MEMORY_FIGURES,
    { key: 'fdLimit', label: 'open-file limit of the server process', unit: '', better: null, digits: 0 },
  ],
  targets: [HERALD, NODE_HTTP_FLOOR, BETTER_SSE, RAW_NET],

  async run(context) {
    const first = context.quick ? FIRST / 10 : FIRST;
    const second = context.quick ? SECOND / 10 : SECOND;
    const cpuMs = context.quick ? 3000 : IDLE_CPU_MS;
    const warmup = context.target.subscribeOnly !== true;
    const sample = emptySample();
    await withLoadSession(
      context,
      async (session) => {
        sample.values.fdLimit = openFilesLimit(session.server.pids[0] as number);
        const idle = await settledRssKiB(session.server, 1500);
        sample.values.rssIdleMiB = kibToMib(idle);

        const { connect } = await connectSubscribers(session, first, sample, { warmup });
        const loaded = await settledRssKiB(session.server, SETTLE_MS);
        sample.values.rss10kMiB = kibToMib(loaded);
        if (idle !== null && loaded !== null && connect.connected > 0) sample.values.kibPerConnection = (loaded - idle) / connect.connected;
        const meter = new CpuMeter(session.server.pids);
        meter.start();
        await sleep(cpuMs);
        sample.values.idleCpuPct = meter.percent();

        // connectSubscribers records the count and time under the first count's keys: keep those.
        const firstValues = { subscribers: sample.values.subscribers, connectMs: sample.values.connectMs };
        const more = await connectSubscribers(session, second - first, sample, { warmup });
        Object.assign(sample.values, firstValues);
        sample.values.connect18kMs = more.connect.connectMs;
        const total = connect.connected + more.connect.connected;
        sample.values.subscribers18k = total;
        const full = await settledRssKiB(session.server, SETTLE_MS);
        sample.values.rssEndMiB = kibToMib(full);
        if (idle !== null && full !== null && total > 0) sample.values.kibPerConnection18k = (full - idle) / total;
      },
      { serverArgs: SERVER_ARGS },
    );
    return sample;
  },

  verdicts(medians) {
    const herald = medians.get(HERALD.name)?.connectMs;
    const floor = medians.get(NODE_HTTP_FLOOR.name)?.connectMs;
    return [
      kibVerdict(medians, 'kibPerConnection', '10,000'),
      kibVerdict(medians, 'kibPerConnection18k', '18,000'),
      {
        goal: '10,000 subscribers connected in no more time than the node:http floor takes',
        met: typeof herald === 'number' && typeof floor === 'number' ? herald <= floor : null,
        detail:
          typeof herald === 'number' && typeof floor === 'number'
            ? `Herald ${herald.toFixed(0)} ms, floor ${floor.toFixed(0)} ms (${(herald / floor).toFixed(2)}x)`
            : 'not measured',
      },
    ];
  },
};
