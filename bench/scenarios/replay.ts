// Replay: a client that missed 10,000 events resumes with `Last-Event-ID` and receives
// them all, in order, once each, from the server's log. Only Herald has a log (the
// references keep nothing), so only Herald runs it. The 10,000 events are POSTed first
// (16 in flight) with no subscriber; that time is reported too, since every publish
// goes through the SQLite log.

import type { Scenario } from '../scenario.ts';
import { emptySample } from '../scenario.ts';
import { HERALD } from '../targets.ts';
import { kibToMib, settledRssKiB, withLoadSession } from './load-session.ts';

const TOPIC = 'bench-replay';
const EVENTS = 10_000;
// Herald keeps 1,000 events per topic by default; a client cannot be resumed across
// 10,000 events unless they are retained.
const SERVER_ARGS = ['--retain-events', String(EVENTS * 2)];
const TARGET_MS = 1000;

export const replay: Scenario = {
  name: 'replay',
  title: 'Replay: 10,000 missed events to one resuming client',
  description:
    'One event is published and its id kept; 10,000 more are POSTed (16 in flight); then a client connects with ' +
    '`Last-Event-ID` set to the kept id. "replay time" runs from the request written to the 10,000th event read; ' +
    'all must arrive, once each, in publish order. Herald runs with `--retain-events 20000` (its default keeps 1,000 ' +
    'per topic). Quick mode: the same 10,000 events, one repetition.',
  figures: [
    { key: 'replayMs', label: 'replay time for 10,000 events', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'firstEventMs', label: 'time to first replayed event', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'replayed', label: 'events replayed', unit: '', better: null, digits: 0 },
    { key: 'publishRate', label: 'publish rate while filling the log (16 in flight)', unit: 'msg/s', better: 'higher', digits: 0 },
    { key: 'rssIdleMiB', label: 'server RSS idle', unit: 'MiB', better: 'lower', digits: 1 },
    { key: 'rssEndMiB', label: 'server RSS at end', unit: 'MiB', better: 'lower', digits: 1 },
  ],
  targets: [HERALD],

  async run(context) {
    const events = EVENTS;
    const sample = emptySample();
    await withLoadSession(context, async ({ server, agent, url }) => {
      sample.values.rssIdleMiB = kibToMib(await settledRssKiB(server, 1000));
      const first = await agent.call('publishOne', { url, topic: TOPIC, body: 'before the missed events' }, 10_000);
      const id = first.status === 201 ? (JSON.parse(first.body) as { id?: unknown }).id : undefined;
      if (typeof id !== 'string') {
        sample.problems.push(`expected 201 {id} from the first publish, got ${first.status} ${first.body.slice(0, 200)}`);
        return;
      }
      const publish = await agent.call(
        'publish',
        { url, topic: TOPIC, step: 1, messages: events, rate: Infinity, maxInFlight: 16, padding: 0 },
        120_000,
      );
      sample.values.publishRate = publish.achievedRate;
      if (publish.rejected > 0) sample.problems.push(`${publish.rejected} of ${events} publishes not accepted (${JSON.stringify(publish.outcomes)})`);

      const result = await agent.call(
        'replay',
        { url, path: `/events?topics=${TOPIC}`, lastEventId: id, step: 1, expected: events, timeoutMs: 30_000 },
        60_000,
      );
      sample.values.replayMs = result.totalMs;
      sample.values.firstEventMs = result.firstEventMs;
      sample.values.replayed = result.received;
      sample.values.rssEndMiB = kibToMib(server.rssKiB());
      if (result.error !== null) sample.problems.push(`replay: ${result.error}`);
      if (result.duplicates > 0) sample.problems.push(`replay: ${result.duplicates} duplicates`);
      if (result.outOfOrder > 0) sample.problems.push(`replay: ${result.outOfOrder} events out of order`);
    }, { serverArgs: SERVER_ARGS });
    return sample;
  },

  verdicts(medians) {
    const ms = medians.get(HERALD.name)?.replayMs;
    return [
      {
        goal: `replay of 10,000 events to one resuming client under ${TARGET_MS / 1000} s`,
        met: typeof ms === 'number' ? ms < TARGET_MS : null,
        detail: typeof ms === 'number' ? `Herald ${ms.toFixed(0)} ms` : 'not measured',
      },
    ];
  },
};
