// Reconnect storm: 10,000 subscribers on one Herald, which is SIGKILLed and started
// again on the same port and data dir. While it is down a publisher POSTs 20 events,
// retrying each until it is accepted (bench/load/retrying-publisher.ts). Nobody tells
// the subscribers anything: each comes back by itself after the `retry:` it was sent
// (the server jitters it per stream, docs/protocol.md) plus a little jitter of its own,
// with `Last-Event-ID` (bench/load/resuming-pool.ts), and must receive each of the 20
// exactly once. Herald only: the references keep no log to resume from.

import { freePort } from '../../test/support/free-port.ts';
import { LoadAgent } from '../load/load-agent.ts';
import { encodeMarker, nowUs } from '../load/marker.ts';
import { publishUntilAccepted } from '../load/retrying-publisher.ts';
import type { StormReport } from '../load/resuming-pool.ts';
import { cpuSeconds, listenOverflows, rssKiB } from '../proc-stats.ts';
import type { RunningServer } from '../server-process.ts';
import type { Sample, Scenario } from '../scenario.ts';
import { emptySample } from '../scenario.ts';
import { HERALD } from '../targets.ts';
import { SUBSCRIBE_PATH, TOPIC, kibToMib, settledRssKiB, sleep } from './load-session.ts';
import { CONNECT_FIGURES } from './step-figures.ts';

const STORM_STEP = 1;
const EVENTS = 20;
/** Each subscriber's own jitter on top of the server's `retry:`. */
const CLIENT_JITTER_MS = 250;
/** How long the publisher is refused before the server is started again. */
const OUTAGE_MS = 1000;
const CONNECT_CONCURRENCY = 250;
const CONNECT_TIMEOUT_MS = 15_000;
const STORM_TIMEOUT_MS = 60_000;
const SAMPLE_MS = 250;

interface ProcessPeaks {
  peakRssKiB: number | null;
  /** Highest CPU over one SAMPLE_MS window, % of one core. */
  peakCpuPct: number | null;
  /** CPU over the whole sampled span. */
  cpuPct: number | null;
}

/** Samples one process's RSS and CPU from /proc every SAMPLE_MS until stopped. */
function sampleProcess(pid: number): { stop(): ProcessPeaks } {
  const startedAt = performance.now();
  const startCpu = cpuSeconds(pid);
  const peaks: ProcessPeaks = { peakRssKiB: rssKiB(pid), peakCpuPct: null, cpuPct: null };
  let lastCpu = startCpu;
  let lastAt = startedAt;
  const take = (): void => {
    const now = performance.now();
    const rss = rssKiB(pid);
    if (rss !== null) peaks.peakRssKiB = Math.max(peaks.peakRssKiB ?? 0, rss);
    const cpu = cpuSeconds(pid);
    if (cpu !== null && lastCpu !== null && now - lastAt >= SAMPLE_MS / 2) {
      peaks.peakCpuPct = Math.max(peaks.peakCpuPct ?? 0, ((cpu - lastCpu) / ((now - lastAt) / 1000)) * 100);
    }
    lastCpu = cpu;
    lastAt = now;
  };
  const timer = setInterval(take, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      take();
      const cpu = cpuSeconds(pid);
      const wallSec = (performance.now() - startedAt) / 1000;
      peaks.cpuPct = cpu !== null && startCpu !== null && wallSec > 0 ? ((cpu - startCpu) / wallSec) * 100 : null;
      return peaks;
    },
  };
}

function stormProblems(report: StormReport, sample: Sample): void {
  if (report.reconnected < report.subscribers) sample.problems.push(`only ${report.reconnected} of ${report.subscribers} subscribers reconnected within ${STORM_TIMEOUT_MS / 1000} s`);
  if (report.lost > 0) sample.problems.push(`${report.lost} events lost by ${report.clientsWithLoss} subscribers`);
  if (report.duplicates > 0) sample.problems.push(`${report.duplicates} events received twice by ${report.clientsWithDuplicates} subscribers`);
  if (report.outOfOrder > 0) sample.problems.push(`${report.outOfOrder} events out of publish order`);
}

export const reconnectStorm: Scenario = {
  name: 'reconnect-storm',
  title: 'Reconnect storm: 10,000 subscribers through a SIGKILL and restart',
  description:
    `10,000 subscribers (raw sockets that reconnect by themselves as EventSource does: after the \`retry:\` they were sent ` +
    `plus 0-${CLIENT_JITTER_MS} ms of their own jitter, with \`Last-Event-ID\`) receive a warm-up event; then \`herald serve\` ` +
    `is SIGKILLed. A publisher starts POSTing ${EVENTS} events, retrying each until accepted; ${OUTAGE_MS / 1000} s later the ` +
    'server is started again on the same port and data dir. "all live again" runs from the restarted server printing ' +
    '`listening on` to the last subscriber\'s new response head; "all caught up" to the last subscriber holding all ' +
    `${EVENTS} events. Every subscriber must get each exactly once, in order. Server RSS and CPU are sampled every ` +
    `${SAMPLE_MS} ms from the restart until all are caught up. "dropped by a full accept queue" is the kernel's ListenOverflows ` +
    'counter over the storm (for the whole machine, so other work can add to it): each such connection is retried by ' +
    `the client's TCP after 1 s, then 3 s, 7 s. Herald only (the references keep no log). Quick mode: 1,000 subscribers.`,
  figures: [
    ...CONNECT_FIGURES,
    { key: 'outageMs', label: 'server down (SIGKILL to listening again)', unit: 'ms', better: null, digits: 0 },
    { key: 'allLiveMs', label: 'restart to all live again', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'allCaughtUpMs', label: `restart to all holding the ${EVENTS} events`, unit: 'ms', better: 'lower', digits: 0 },
    { key: 'liveP50Ms', label: 'restart to a subscriber live again: median', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'liveP90Ms', label: 'restart to a subscriber live again: 90th percentile', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'liveP99Ms', label: 'restart to a subscriber live again: 99th percentile', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'listenOverflows', label: 'connections dropped by a full accept queue (whole machine)', unit: '', better: 'lower', digits: 0 },
    { key: 'lost', label: 'events lost, all subscribers (must be 0)', unit: '', better: 'lower', digits: 0 },
    { key: 'duplicates', label: 'events received twice (must be 0)', unit: '', better: 'lower', digits: 0 },
    { key: 'failedAttempts', label: 'reconnect attempts refused while down', unit: '', better: null, digits: 0 },
    { key: 'retryMinMs', label: 'lowest retry: sent', unit: 'ms', better: null, digits: 0 },
    { key: 'retryMaxMs', label: 'highest retry: sent', unit: 'ms', better: null, digits: 0 },
    { key: 'retryDistinct', label: 'distinct retry: values', unit: '', better: null, digits: 0 },
    { key: 'rssConnectedMiB', label: 'server RSS with the subscribers, before the kill', unit: 'MiB', better: 'lower', digits: 1 },
    { key: 'peakRssMiB', label: 'server peak RSS during the storm', unit: 'MiB', better: 'lower', digits: 1 },
    { key: 'stormCpuPct', label: 'server CPU during the storm (100 = one core)', unit: '%', better: 'lower', digits: 0 },
    { key: 'peakCpuPct', label: `server peak CPU over ${SAMPLE_MS} ms`, unit: '%', better: 'lower', digits: 0 },
    { key: 'rssEndMiB', label: 'server RSS once all caught up', unit: 'MiB', better: 'lower', digits: 1 },
  ],
  targets: [HERALD],

  async run(context) {
    const count = context.quick ? 1000 : 10_000;
    const sample = emptySample();
    // A fixed port, so the restarted server is where the subscribers come back to (the last --port wins).
    const serverArgs = ['--port', String(await freePort())];
    const start = (): Promise<RunningServer> => context.target.start({ workDir: context.workDir, serverArgs });
    let server = await start();
    const agent = LoadAgent.start();
    try {
      const url = server.urls[0] as string;
      if (server.kill === undefined) {
        sample.problems.push(`${context.target.label} cannot be SIGKILLed by the benchmark (several processes)`);
        return sample;
      }
      await settledRssKiB(server, 1000);
      const connect = await agent.call(
        'resumingConnect',
        { urls: [url], path: SUBSCRIBE_PATH, count, concurrency: CONNECT_CONCURRENCY, timeoutMs: CONNECT_TIMEOUT_MS, clientJitterMs: CLIENT_JITTER_MS },
        CONNECT_TIMEOUT_MS + count * 5 + 30_000,
      );
      sample.values.subscribers = connect.connected;
      sample.values.connectMs = connect.connectMs;
      if (connect.failed > 0) sample.problems.push(`${connect.failed} of ${count} subscribers failed to connect (${connect.errors.join('; ')})`);
      const warmup = await agent.call('resumingWarmup', { url, topic: TOPIC, timeoutMs: 10_000 }, 30_000);
      if (warmup.ready < count) {
        sample.problems.push(`only ${warmup.ready} of ${count} subscribers received a warm-up event (and its id) within 10 s`);
        return sample;
      }
      sample.values.rssConnectedMiB = kibToMib(server.rssKiB());

      await agent.call('stormBegin', { step: STORM_STEP, messages: EVENTS }, 10_000);
      const overflowsBefore = listenOverflows();
      const killedAt = performance.now();
      await server.kill();
      const bodies = Array.from({ length: EVENTS }, (_, seq) => `storm ${encodeMarker(STORM_STEP, seq, nowUs())}`);
      const publishing = publishUntilAccepted({ url, topic: TOPIC, bodies, pauseMs: 50, deadlineMs: STORM_TIMEOUT_MS });
      await sleep(OUTAGE_MS);
      server = await start();
      const restartUs = nowUs();
      sample.values.outageMs = performance.now() - killedAt;
      const sampler = sampleProcess(server.pids[0] as number);
      let report: StormReport;
      try {
        const published = await publishing;
        context.log(`  ${EVENTS} events accepted; attempts refused meanwhile: ${JSON.stringify(published.failures)}`);
        const deadline = performance.now() + STORM_TIMEOUT_MS;
        for (;;) {
          report = await agent.call('stormReport', { sinceUs: restartUs }, 10_000);
          if ((report.reconnected === report.subscribers && report.complete === report.subscribers) || performance.now() > deadline) break;
          await sleep(100);
        }
        // A moment more, so that anything sent twice arrives and is counted.
        await sleep(500);
        report = await agent.call('stormReport', { sinceUs: restartUs }, 10_000);
      } finally {
        const peaks = sampler.stop();
        sample.values.peakRssMiB = kibToMib(peaks.peakRssKiB);
        sample.values.peakCpuPct = peaks.peakCpuPct;
        sample.values.stormCpuPct = peaks.cpuPct;
      }
      sample.values.allLiveMs = report.lastLiveUs === null ? null : (report.lastLiveUs - restartUs) / 1000;
      sample.values.allCaughtUpMs = report.complete === report.subscribers && report.lastCompleteUs !== null ? (report.lastCompleteUs - restartUs) / 1000 : null;
      sample.values.liveP50Ms = report.liveMs.p50;
      sample.values.liveP90Ms = report.liveMs.p90;
      sample.values.liveP99Ms = report.liveMs.p99;
      const overflowsAfter = listenOverflows();
      sample.values.listenOverflows = overflowsBefore !== null && overflowsAfter !== null ? overflowsAfter - overflowsBefore : null;
      sample.values.lost = report.lost;
      sample.values.duplicates = report.duplicates;
      sample.values.failedAttempts = report.failedAttempts;
      sample.values.retryMinMs = report.retryMs.min;
      sample.values.retryMaxMs = report.retryMs.max;
      sample.values.retryDistinct = report.retryMs.distinct;
      sample.values.rssEndMiB = kibToMib(server.rssKiB());
      if (report.refusals > 0) sample.notes.push(`${report.refusals} reconnects answered other than 200`);
      stormProblems(report, sample);
    } finally {
      await agent.stop();
      await server.stop();
    }
    return sample;
  },

  verdicts(medians) {
    const herald = medians.get(HERALD.name);
    const lost = herald?.lost;
    const duplicates = herald?.duplicates;
    const live = herald?.allLiveMs;
    const measured = typeof lost === 'number' && typeof duplicates === 'number';
    return [
      {
        goal: `${typeof herald?.subscribers === 'number' ? herald.subscribers.toLocaleString('en-US') : '10,000'} subscribers through a SIGKILL and restart: every event published during the outage received exactly once`,
        met: measured ? lost === 0 && duplicates === 0 : null,
        detail: measured
          ? `${lost} lost, ${duplicates} repeated; all live again ${typeof live === 'number' ? `${(live / 1000).toFixed(1)} s` : '(not all)'} after the restart`
          : 'not measured',
      },
    ];
  },
};
