// Scale-out (docs/scaling.md): the fan-out measurement against three Herald instances sharing
// one Redis (subscribers spread over the three, publishes to the first, every event
// through the Redis stream), one instance over Redis (what Redis costs by itself), and
// one instance alone with its SQLite log, in the same run.

import { HERALD_REDIS_1, HERALD_REDIS_3 } from '../redis-cluster-target.ts';
import type { Scenario } from '../scenario.ts';
import { HERALD } from '../targets.ts';
import { fanoutSize, measureFanout } from './fanout.ts';
import { CONNECT_FIGURES, DELIVERY_FIGURES, MEMORY_FIGURES } from './step-figures.ts';

export const scaleOut: Scenario = {
  name: 'scale-out',
  title: 'Scale-out: 3 Herald instances over one Redis vs one instance alone',
  description:
    'The fan-out run (2,000 raw-socket subscribers, 400 messages at 40/s; quick: 200 for 3 s) against three ' +
    '`herald serve --redis` instances with the subscribers spread evenly over them and every message POSTed to ' +
    'the first, so each delivery crossed Redis (XADD, then each instance\'s XREAD BLOCK tail). Also one instance ' +
    'over Redis, and one instance alone (SQLite). Server CPU and RSS add up every Herald process and Redis. ' +
    'On a machine with fewer cores than processes the instances share the same cores, so this shows the cost ' +
    'of the shared log, not the gain of more machines.',
  figures: [...CONNECT_FIGURES, ...DELIVERY_FIGURES, ...MEMORY_FIGURES],
  targets: [HERALD_REDIS_3, HERALD_REDIS_1, HERALD],

  run: (context) => measureFanout(context, fanoutSize(context.quick)),

  verdicts(medians) {
    const three = medians.get(HERALD_REDIS_3.name);
    const alone = medians.get(HERALD.name);
    const judged = typeof three?.deliveredPerSec === 'number' && typeof alone?.deliveredPerSec === 'number';
    return [
      {
        goal: '3 instances over Redis deliver every event, as many per second as one instance alone',
        met: judged && three.lost === 0 ? (three.deliveredPerSec as number) >= 0.95 * (alone.deliveredPerSec as number) : null,
        detail: judged
          ? `x3 over Redis ${(three.deliveredPerSec as number).toFixed(0)}/s, p99 ${three.p99Ms?.toFixed(2)} ms; ` +
            `alone ${(alone.deliveredPerSec as number).toFixed(0)}/s, p99 ${alone.p99Ms?.toFixed(2)} ms`
          : 'not measured',
      },
    ];
  },
};
