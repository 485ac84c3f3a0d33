// Saturation: the highest publish rate a server sustains to N subscribers. The rate is
// raised step by step (x1.4) until a step falls behind, then narrowed by bisection
// between the last sustained and the first failed rate. A step is sustained when every
// message reached every subscriber exactly once with no subscriber dropped, the
// publisher achieved at least 90% of the asked rate (POSTs were answered in time), and
// deliveries kept pace: at least 90% of the offered deliveries per second, measured from
// the first POST to the last delivery, so a backlog that grows through the step (and is
// still draining after the last POST) fails it. Latency is reported, not judged: on a
// shared machine one scheduling stall moves p99 without the server falling behind.
// Later repetitions start just below the first repetition's result, to spend their
// time near the edge.

import type { StepResult } from '../load/agent-protocol.ts';
import { CpuMeter } from '../proc-stats.ts';
import type { Sample, Scenario } from '../scenario.ts';
import { emptySample, median } from '../scenario.ts';
import { BETTER_SSE, HERALD, NODE_HTTP_FLOOR } from '../targets.ts';
import { type LoadSession, TOPIC, connectSubscribers, kibToMib, settledRssKiB, sleep, withLoadSession } from './load-session.ts';
import { CONNECT_FIGURES, MEMORY_FIGURES, stepProblems } from './step-figures.ts';

const MIN_ACHIEVED = 0.9;
const MIN_DELIVERED = 0.9;
const FACTOR = 1.4;
const BISECTIONS = 2;
const MIN_RATE = 2;
// Publishes in flight: enough that the POST round trip (which includes the batch's
// commit and fan-out in Herald) does not cap the rate before the fan-out does.
const MAX_IN_FLIGHT = 64;

function size(quick: boolean): { subscribers: number; startRate: number; stepSeconds: number; maxRate: number } {
  return quick
    ? { subscribers: 200, startRate: 100, stepSeconds: 2, maxRate: 20_000 }
    : { subscribers: 2000, startRate: 20, stepSeconds: 3, maxRate: 5_000 };
}

interface Attempt {
  rate: number;
  result: StepResult;
  serverCpuPct: number;
  failure: string | null;
}

function judge(rate: number, subscribers: number, result: StepResult): string | null {
  const problems = stepProblems(result);
  if (problems.length > 0) return problems.join('; ');
  if (result.publish.achievedRate < rate * MIN_ACHIEVED) {
    return `publisher reached only ${result.publish.achievedRate.toFixed(0)} of ${rate.toFixed(0)} msg/s`;
  }
  const offered = rate * subscribers;
  const delivered = result.deliveredPerSec ?? 0;
  if (delivered < offered * MIN_DELIVERED) {
    return `delivered ${delivered.toFixed(0)}/s of ${offered.toFixed(0)}/s offered (p99 ${result.delivery.latency.p99Ms?.toFixed(0)} ms)`;
  }
  return null;
}

export const saturation: Scenario = {
  name: 'saturation',
  title: 'Saturation: highest sustained rate to 2,000 subscribers',
  description:
    `2,000 subscribers; the publish rate rises x${FACTOR} per ${size(false).stepSeconds} s step, then is bisected ${BISECTIONS} times ` +
    '(once in later repetitions, which start at 0.7x the first result) ' +
    `between the last sustained and the first failed rate. Sustained = no loss, no duplicate, no subscriber dropped, ` +
    `publisher at >= ${MIN_ACHIEVED * 100}% of the asked rate, deliveries at >= ${MIN_DELIVERED * 100}% of the offered ` +
    'deliveries/s (first POST to last delivery, so a growing backlog fails). The figures are those of the highest ' +
    'sustained step. "client CPU at the failing step" near 100% would mean the load generator, not the server, set the limit. ' +
    'Quick mode: 200 subscribers, 2 s steps.',
  figures: [
    ...CONNECT_FIGURES,
    { key: 'maxRate', label: 'highest sustained publish rate', unit: 'msg/s', better: 'higher', digits: 0 },
    { key: 'deliveredPerSec', label: 'delivered events/s at that rate', unit: '/s', better: 'higher', digits: 0 },
    { key: 'p99Ms', label: 'latency p99 at that rate', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'serverCpuPct', label: 'server CPU at that rate', unit: '%', better: null, digits: 0 },
    { key: 'failedRate', label: 'first rate that fell behind', unit: 'msg/s', better: null, digits: 0 },
    { key: 'clientCpuAtFailPct', label: 'load generator CPU at the failing step', unit: '%', better: null, digits: 0 },
    { key: 'steps', label: 'steps run', unit: '', better: null, digits: 0 },
    ...MEMORY_FIGURES,
  ],
  targets: [HERALD, NODE_HTTP_FLOOR, BETTER_SSE],

  async run(context) {
    const cfg = size(context.quick);
    const sample = emptySample();
    const earlier = median(context.previous.map((s) => s.values.maxRate).filter((v): v is number => typeof v === 'number'));
    let rate = earlier !== null ? Math.max(MIN_RATE, earlier * 0.7) : cfg.startRate;
    let step = 1;

    await withLoadSession(context, async (session) => {
      sample.values.rssIdleMiB = kibToMib(await settledRssKiB(session.server, 1000));
      await connectSubscribers(session, cfg.subscribers, sample);
      if (sample.problems.length > 0) return;

      const attempt = async (r: number): Promise<Attempt> => {
        const meter = new CpuMeter(session.server.pids);
        meter.start();
        const messages = Math.max(10, Math.round(r * cfg.stepSeconds));
        const result = await session.agent.call(
          'step',
          { publish: { url: session.url, topic: TOPIC, step: step++, messages, rate: r, maxInFlight: MAX_IN_FLIGHT, padding: 0 }, drainTimeoutMs: 2000 },
          cfg.stepSeconds * 1000 * 4 + 60_000,
        );
        const done: Attempt = { rate: r, result, serverCpuPct: meter.percent(), failure: judge(r, result.delivery.subscribers, result) };
        context.log(`  ${r.toFixed(0)} msg/s: ${done.failure ?? `ok, p99 ${result.delivery.latency.p99Ms?.toFixed(1)} ms`}`);
        // A failed step may leave subscribers dropped or queues full: start the next one afresh.
        if (done.failure !== null) await reconnect(session, cfg.subscribers, sample);
        else await sleep(300);
        return done;
      };

      let best: Attempt | null = null;
      let failed: Attempt | null = null;
      // Ramp up until a step fails (or down, if the first one does).
      for (;;) {
        const a = await attempt(rate);
        if (a.failure === null) {
          best = a;
          if (failed !== null || rate >= cfg.maxRate) break;
          rate = Math.min(cfg.maxRate, rate * FACTOR);
        } else {
          failed = a;
          if (best !== null || rate / FACTOR < MIN_RATE) break;
          rate /= FACTOR;
        }
        if (sample.problems.length > 0) break;
      }
      // Later repetitions start near the edge already: one bisection is enough there.
      const bisections = earlier === null ? BISECTIONS : 1;
      for (let i = 0; i < bisections && best !== null && failed !== null && sample.problems.length === 0; i++) {
        const a = await attempt(Math.sqrt(best.rate * failed.rate));
        if (a.failure === null) best = a;
        else failed = a;
      }

      sample.values.steps = step - 1;
      sample.values.rssEndMiB = kibToMib(session.server.rssKiB());
      if (best !== null) {
        Object.assign(sample.values, {
          maxRate: best.rate,
          deliveredPerSec: best.result.deliveredPerSec,
          p99Ms: best.result.delivery.latency.p99Ms,
          serverCpuPct: best.serverCpuPct,
        });
      } else {
        sample.problems.push(`no rate down to ${MIN_RATE} msg/s was sustained`);
      }
      if (failed !== null) {
        sample.values.failedRate = failed.rate;
        sample.values.clientCpuAtFailPct = failed.result.clientCpuPct;
        sample.notes.push(`fell behind at ${failed.rate.toFixed(0)} msg/s: ${failed.failure}`);
      } else {
        sample.notes.push(`sustained the cap of ${cfg.maxRate} msg/s`);
      }
    });
    return sample;
  },

  verdicts(medians) {
    const herald = medians.get(HERALD.name)?.maxRate;
    const check = (baseline: string, label: string, factor: number) => {
      const base = medians.get(baseline)?.maxRate;
      const judged = typeof herald === 'number' && typeof base === 'number';
      return {
        goal: `saturated delivery rate at least ${factor}x ${label}`,
        met: judged ? herald >= base * factor : null,
        detail: judged ? `Herald ${herald.toFixed(0)} msg/s vs ${base.toFixed(0)} msg/s: ${(herald / base).toFixed(2)}x` : 'not measured',
      };
    };
    return [check(NODE_HTTP_FLOOR.name, 'the node:http floor', 1.5), check(BETTER_SSE.name, 'better-sse', 2)];
  },
};

async function reconnect(session: LoadSession, count: number, sample: Sample): Promise<void> {
  await session.agent.call('closeAll', {}, 30_000);
  await sleep(1000);
  const before = sample.problems.length;
  // The figures keep the first connection's numbers; a reconnect only has to succeed.
  const { subscribers, connectMs } = sample.values;
  await connectSubscribers(session, count, sample);
  Object.assign(sample.values, { subscribers, connectMs });
  if (sample.problems.length > before) sample.problems.push('could not reconnect after a failed step');
}
