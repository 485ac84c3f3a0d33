// The window over an in-memory bridge with the desktop app's capabilities, for the
// renderer benchmark (bench/renderer-bench.ts) and the browser tests of what only the
// app can do (test/dashboard-app-mode.test.ts). The page's hash says what to load:
// `#history=100000` opens with that many stored events; `&topics=20000` spreads them
// over that many distinct topics (fleet/host-00000...). `window.heraldBench` lets the
// driving script push live events and read timings; nothing here reaches a network.

import type { ReceivedEvent } from '../main/ipc/bridge.ts';
import type { HeraldEvent } from '../server/protocol/events.ts';
import { startApp } from './app.ts';
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

const params = new URLSearchParams(location.hash.slice(1));
const historySize = Number(params.get('history') ?? '0');
const topicCount = Number(params.get('topics') ?? '0');
const now = Date.now();
const history: ReceivedEvent[] = [];
// Newest first, as the desktop history answers.
for (let n = historySize; n >= 1; n--) history.push(syntheticEvent(n, now - (historySize - n) * 1000, topicCount));

const bridge = createMemoryBridge({
  history,
  servers: [{ server: 'local', label: 'This machine', url: 'http://127.0.0.1:8765', connection: { kind: 'live' }, ended: {} }],
});
let next = historySize + 1;

const root = document.getElementById('app');
if (!root) throw new Error('index.html must have an element with id "app"');
const started = performance.now();
const app = startApp(root, bridge, { now: () => Date.now(), frame: (fn) => requestAnimationFrame(fn), historyLimit: historySize });

const bench = {
  bridge,
  /** ms from starting the window to the first frame painted with the history in the list. */
  openMs: null as number | null,
  rowsInDom: () => document.querySelectorAll('.event-row:not(.event-row-probe)').length,
  topicCardsInDom: () => document.querySelectorAll('.topic-item').length,
  nodesInDom: () => document.getElementsByTagName('*').length,
  listLength: () => app.view.length,
  /** Push `count` new events, one every `intervalMs`; resolves when all were pushed. */
  live(count: number, intervalMs: number): Promise<void> {
    return new Promise((resolve) => {
      let sent = 0;
      const timer = setInterval(() => {
        bridge.push([syntheticEvent(next, Date.now())]);
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

void app.ready.then(() =>
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      bench.openMs = performance.now() - started;
    }),
  ),
);
