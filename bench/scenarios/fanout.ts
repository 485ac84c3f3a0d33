// Fan-out at a steady rate: N subscribers on one topic, messages published at R per
// second for S seconds. Every subscriber must receive every message (any loss fails the
// run); latency is publish (the POST written) to receive (the frame read).

import { CpuMeter } from '../proc-stats.ts';
import type { Sample, Scenario, ScenarioContext } from '../scenario.ts';
import { emptySample } from '../scenario.ts';
import { BETTER_SSE, HERALD, NODE_HTTP_FLOOR } from '../targets.ts';
import { TOPIC, connectSubscribers, kibToMib, settledRssKiB, withLoadSession } from './load-session.ts';
import { CONNECT_FIGURES, DELIVERY_FIGURES, MEMORY_FIGURES, recordStep, stepProblems } from './step-figures.ts';

export interface FanoutSize {
  subscribers: number;
  messages: number;
  rate: number;
  /** Wait for stragglers after the last POST (default 5 s). */
  drainTimeoutMs?: number;
  /** Quiet before the idle RSS is read (default 1 s). */
  settleMs?: number;
}

export function fanoutSize(quick: boolean): FanoutSize {
  return quick ? { subscribers: 200, messages: 120, rate: 40 } : { subscribers: 2000, messages: 400, rate: 40 };
}

/** One fan-out run: connect, warm up, publish `messages` at `rate`, count and time every delivery. */
export async function measureFanout(context: ScenarioContext, size: FanoutSize, options: { nodeArgs?: readonly string[] } = {}): Promise<Sample> {
  const sample = emptySample();
  await withLoadSession(
    context,
    async (session) => {
      sample.values.rssIdleMiB = kibToMib(await settledRssKiB(session.server, size.settleMs ?? 1000));
      await connectSubscribers(session, size.subscribers, sample);
      const meter = new CpuMeter(session.server.pids);
      meter.start();
      const result = await session.agent.call(
        'step',
        {
          publish: { url: session.url, topic: TOPIC, step: 1, messages: size.messages, rate: size.rate, maxInFlight: 8, padding: 0 },
          drainTimeoutMs: size.drainTimeoutMs ?? 5000,
        },
        (size.messages / size.rate) * 1000 + 60_000,
      );
      recordStep(sample, result, meter.percent());
      sample.problems.push(...stepProblems(result));
      sample.values.rssEndMiB = kibToMib(session.server.rssKiB());
    },
    options,
  );
  return sample;
}

export const fanout: Scenario = {
  name: 'fanout',
  title: 'Fan-out: 2,000 subscribers at 40 msg/s (80,000 deliveries/s)',
  description:
    '2,000 raw-socket SSE subscribers on one topic; 400 messages POSTed at 40/s (10 s) over up to 8 keep-alive ' +
    'connections. Each message body carries its send time; latency is POST written to frame read, in the load ' +
    'generator (a separate process). Quick mode: 200 subscribers for 3 s.',
  figures: [...CONNECT_FIGURES, ...DELIVERY_FIGURES, ...MEMORY_FIGURES],
  targets: [HERALD, NODE_HTTP_FLOOR, BETTER_SSE],

  run: (context) => measureFanout(context, fanoutSize(context.quick)),

  verdicts(medians) {
    const herald = medians.get(HERALD.name)?.p99Ms;
    const floor = medians.get(NODE_HTTP_FLOOR.name)?.p99Ms;
    const judged = typeof herald === 'number' && typeof floor === 'number';
    return [
      {
        goal: 'p99 latency at 2,000 x 40/s no worse than the node:http floor',
        met: judged ? herald <= floor : null,
        detail: judged ? `Herald ${herald.toFixed(2)} ms vs floor ${floor.toFixed(2)} ms` : 'not measured',
      },
    ];
  },
};
