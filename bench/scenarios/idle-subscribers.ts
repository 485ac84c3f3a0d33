// Memory per connection: 10,000 subscribers that receive nothing but a warm-up event.
// RSS is read from /proc/<pid>/status before they connect and once they have settled;
// the difference divided by the connections is the server's cost of an idle
// subscriber (socket, request and response objects, the hub's entry, heartbeat timer).

import { CpuMeter } from '../proc-stats.ts';
import type { Scenario } from '../scenario.ts';
import { emptySample } from '../scenario.ts';
import { BETTER_SSE, HERALD, NODE_HTTP_FLOOR, RAW_NET } from '../targets.ts';
import { connectSubscribers, kibToMib, settledRssKiB, sleep, withLoadSession } from './load-session.ts';
import { CONNECT_FIGURES, MEMORY_FIGURES } from './step-figures.ts';

const SETTLE_MS = 3000;
const KIB_TARGET = 10;

export const idleSubscribers: Scenario = {
  name: 'idle',
  title: 'Idle subscribers: memory per connection at 10,000',
  description:
    '10,000 subscribers connect (250 at a time) and receive one warm-up event; after 3 s of quiet, ' +
    '"KiB per idle connection" = (RSS with them - RSS before) / connections. Server CPU is measured over the quiet ' +
    'period. Both processes run with `ulimit -n 65536`. "raw net sockets" is a `net` server that answers the SSE head ' +
    'and holds the socket, without node:http: what the connection costs Node below any HTTP server. ' +
    'Quick mode: 1,000 subscribers.',
  figures: [
    ...CONNECT_FIGURES,
    { key: 'kibPerConnection', label: 'KiB per idle connection', unit: 'KiB', better: 'lower', digits: 2 },
    { key: 'idleCpuPct', label: 'server CPU while they idle', unit: '%', better: 'lower', digits: 1 },
    ...MEMORY_FIGURES,
  ],
  targets: [HERALD, NODE_HTTP_FLOOR, BETTER_SSE, RAW_NET],

  async run(context) {
    const count = context.quick ? 1000 : 10_000;
    const sample = emptySample();
    await withLoadSession(context, async (session) => {
      const idle = await settledRssKiB(session.server, 1500);
      sample.values.rssIdleMiB = kibToMib(idle);
      const { connect } = await connectSubscribers(session, count, sample, { warmup: context.target.subscribeOnly !== true });
      const meter = new CpuMeter(session.server.pids);
      meter.start();
      await sleep(SETTLE_MS);
      sample.values.idleCpuPct = meter.percent();
      const loaded = session.server.rssKiB();
      sample.values.rssEndMiB = kibToMib(loaded);
      if (idle !== null && loaded !== null && connect.connected > 0) {
        sample.values.kibPerConnection = (loaded - idle) / connect.connected;
      }
    });
    return sample;
  },

  verdicts(medians) {
    const kib = medians.get(HERALD.name)?.kibPerConnection;
    return [
      {
        goal: `10,000 idle subscribers: under ${KIB_TARGET} KiB of server RSS each`,
        met: typeof kib === 'number' ? kib < KIB_TARGET : null,
        detail: typeof kib === 'number' ? `Herald ${kib.toFixed(2)} KiB per connection` : 'not measured',
      },
    ];
  },
};
