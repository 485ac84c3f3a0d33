// The window over an in-memory bridge with the desktop app's capabilities, for the
// renderer benchmark (bench/renderer-bench.ts) and the browser tests of what only the
// app can do (test/dashboard-app-mode.test.ts). The page's hash says what to load:
// `#history=100000` opens with that many stored events; `&topics=20000` spreads them
// over that many distinct topics (fleet/host-00000...); `&sources=50` over that many
// sources as the overview shows them (the system, probes, jobs and message topics);
// `&view=events` opens that view. `window.heraldBench` lets the driving script push
// live events and read timings; nothing here reaches a network.

import type { ReceivedEvent } from '../main/app/ipc/bridge.ts';
import type { HeraldEvent } from '../server/protocol/events.ts';
import { isAppView, startApp } from './app.ts';
import { createMemoryBridge } from './bridge/memory-bridge.ts';

const TOPICS = ['system', 'probe/site', 'probe/api', 'ci/web', 'ci/mobile', 'deploy/prod', 'job/backup/1', 'job/report/7'];

/** A plausible mix of event types, deterministic in `n`; over `topics` distinct topics when given. */
export function syntheticEvent(n: number, time: number, topics = 0): ReceivedEvent {
  const topic = topics > 0 ? `fleet/host-${String(n % topics).padStart(5, '0')}` : (TOPICS[n % TOPICS.length] ?? 'system');
  let event: HeraldEvent;
  switch (n % 4) {
    case 0:
      event = { id: String(n), type: 'update', data: { topic, time, status: { cpu: n % 100, memory: (n * 7) % 100, state: 'running' }, changed: ['cpu'] } };
      break;
    case 1:
      event = { id: String(n), type: 'notify', data: { topic, time, title: `Build ${n}`, body: `pipeline ${n} finished in ${n % 300} s`, priority: 1 + (n % 5), tags: ['ci'] } };
      break;
    case 2:
      event = { id: String(n), type: 'alert', data: { topic, time, level: n % 3 === 0 ? 'critical' : 'warn', metric: 'latencyMs', value: n % 2000, message: `latency ${n % 2000} ms` } };
      break;
    default:
      event = { id: String(n), type: 'update', data: { topic, time, status: { latencyMs: n % 900, up: true } } };
  }
  return { server: 'local', event };
}

/**
 * Event `n` of `sources` sources: the system (a status with the figures and lines),
 * probes (up, and down now and then), jobs (runs with progress, ending with a code),
 * message topics. Deterministic in `n`.
 */
export function sourceEvent(n: number, time: number, sources: number): ReceivedEvent {
  const source = n % sources;
  const probes = Math.max(1, Math.floor(sources * 0.3));
  const jobs = Math.max(1, Math.floor(sources * 0.2));
  let event: HeraldEvent;
  if (source === 0) {
    const status = { cpu: (n * 7) % 100, memory: 40 + (n % 30), disk: { '/': 62 }, load: [(n % 40) / 10, 1, 1], uptimeSec: n, level: 'ok', thresholds: { cpu: [80, 90], memory: [85, 95], disk: [85, 95] } };
    event = { id: String(n), type: 'update', data: { topic: 'system', time, status } };
  } else if (source <= probes) {
    const up = Math.floor(n / sources) % 37 !== 0;
    const status = up ? { ok: true, level: 'ok', value: 200, latencyMs: 20 + (n % 180) } : { ok: false, level: 'critical', error: 'connection refused' };
    event = { id: String(n), type: 'update', data: { topic: `probe/site-${source}`, time, status } };
  } else if (source <= probes + jobs) {
    const round = Math.floor(n / sources);
    const run = Math.floor(round / 5);
    const step = round % 5;
    const topic = `job/task-${source}/${run}`;
    event =
      step < 4
        ? { id: String(n), type: 'update', data: { topic, time, status: { state: 'running', progress: step / 4, startedAt: time - step * 1000, elapsedMs: step * 1000, lastLine: `step ${step}` } } }
        : { id: String(n), type: 'end', data: { topic, time, state: run % 9 === 0 ? 'failed' : 'succeeded', exitCode: run % 9 === 0 ? 1 : 0, durationMs: 4000 + (n % 3000), summary: '' } };
  } else {
    event = { id: String(n), type: 'notify', data: { topic: `news/feed-${source}`, time, title: `Item ${n}`, body: `message ${n}`, priority: 1 + (n % 5), tags: ['tada'] } };
  }
  return { server: 'local', event };
}

const params = new URLSearchParams(location.hash.slice(1));
const historySize = Number(params.get('history') ?? '0');
const topicCount = Number(params.get('topics') ?? '0');
const sourceCount = Number(params.get('sources') ?? '0');
const makeEvent = (n: number, time: number): ReceivedEvent => (sourceCount > 0 ? sourceEvent(n, time, sourceCount) : syntheticEvent(n, time, topicCount));
const now = Date.now();
const history: ReceivedEvent[] = [];
// Newest first, as the desktop history answers.
for (let n = historySize; n >= 1; n--) history.push(makeEvent(n, now - (historySize - n) * 1000));

const bridge = createMemoryBridge({
  history,
  servers: [{ server: 'local', label: 'This machine', url: 'http://127.0.0.1:8765', connection: { kind: 'live' }, ended: {} }],
});
let next = historySize + 1;

const root = document.getElementById('app');
if (!root) throw new Error('index.html must have an element with id "app"');
const started = performance.now();
const view = params.get('view');
const app = startApp(root, bridge, { now: () => Date.now(), frame: (fn) => requestAnimationFrame(fn), historyLimit: historySize, ...(isAppView(view) ? { initialView: view } : {}) });

const bench = {
  bridge,
  /** ms from starting the window to the first frame painted with the history in the list. */
  openMs: null as number | null,
  rowsInDom: () => document.querySelectorAll('.event-row:not(.event-row-probe)').length,
  /** Source cards, and the charts drawn so far (uPlot canvases). */
  cardsInDom: () => document.querySelectorAll('.source-card').length,
  chartsDrawn: () => document.querySelectorAll('.chart-plot canvas').length,
  topicCardsInDom: () => document.querySelectorAll('.topic-item').length,
  nodesInDom: () => document.getElementsByTagName('*').length,
  listLength: () => app.view.length,
  /** Events whose search text is not made yet (it is made in idle time after they arrive). */
  searchPending: () => app.searchPending(),
  /** Push `count` new events, one every `intervalMs`; resolves when all were pushed. */
  live(count: number, intervalMs: number): Promise<void> {
    return new Promise((resolve) => {
      let sent = 0;
      const timer = setInterval(() => {
        bridge.push([makeEvent(next, Date.now())]);
        next++;
        if (++sent >= count) {
          clearInterval(timer);
          resolve();
        }
      }, intervalMs);
    });
  },
};
(window as unknown as { heraldBench: typeof bench }).heraldBench = bench;

// Open: the history is in, and (on the overview) the charts of the cards in view are drawn.
void app.ready.then(() => {
  const painted = (): void => {
    if (view !== 'events' && view !== 'settings' && bench.chartsDrawn() === 0 && performance.now() - started < 60_000) {
      requestAnimationFrame(painted);
      return;
    }
    requestAnimationFrame(() => {
      bench.openMs = performance.now() - started;
    });
  };
  requestAnimationFrame(painted);
});
