// The history window's speed, measured in Debian's Chromium (Playwright):
//   open:   100,000 stored events to the first painted frame with them in the list;
//   scroll: frame times while scrolling through those 100,000 rows;
//   live:   frame times while 50 events/s arrive (and a 1,000/s burst), batched per frame;
//   replay: the web dashboard against a real server whose log holds 20,000 events,
//           from navigation to every event in the list (SSE replay with ?since=all);
//   search: 20,000 topics in the side list; each search keystroke, typed for real once
//           the window has made every event's search text in idle time, from the key
//           event to the frame painted after it (target under 50 ms);
//   overview: 100,000 stored events from 50 sources (the system, probes, jobs, message
//           topics) to the first frame with the cards and the charts in view drawn
//           (target under 500 ms), and frame times while 50 events/s arrive.
// Prints a table and writes bench/results/renderer.md. Run: node bench/renderer-bench.ts

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem, tmpdir, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright';
import { buildRenderer } from '../scripts/build-renderer.ts';
import { createHeraldServer } from '../server/app.ts';
import { dashboardPlugin } from '../server/http/routes/dashboard.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HISTORY = 100_000;
const REPLAY = 20_000;
const TOPICS = 20_000;
const SOURCES = 50;
/** Typed letter by letter into the search box: finds the last of the 20,000 topics. */
const SEARCH = 'host-19999';
const RUNS = 3;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  /** Frames that took longer than 50 ms (a visible stutter). */
  long: number;
  /** Frames per second over the whole run. */
  fps: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const round = (value: number): number => Math.round(value * 10) / 10;

async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
  const server = createServer(async (req, res) => {
    const name = (req.url ?? '/').split(/[?#]/)[0] === '/' ? 'index.html' : (req.url ?? '').slice(1).split(/[?#]/)[0]!;
    if (!/^[a-z.]+$/.test(name)) return void res.writeHead(404).end();
    try {
      const body = await readFile(join(dir, name));
      res.writeHead(200, { 'Content-Type': types[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Frame intervals while `work` runs in the page (a string: this file has no DOM types). */
async function frameStats(page: Page, work: string): Promise<FrameStats> {
  return page.evaluate(`(async () => {
    const deltas = [];
    let last = performance.now();
    let running = true;
    const loop = (t) => { deltas.push(t - last); last = t; if (running) requestAnimationFrame(loop); };
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(loop); });
    await (${work})();
    running = false;
    await new Promise((r) => requestAnimationFrame(r));
    const total = deltas.reduce((a, b) => a + b, 0);
    deltas.sort((a, b) => a - b);
    const at = (q) => deltas[Math.min(deltas.length - 1, Math.floor(q * deltas.length))] ?? 0;
    return { frames: deltas.length, p50: at(0.5), p95: at(0.95), max: deltas[deltas.length - 1] ?? 0, long: deltas.filter((d) => d > 50).length, fps: total > 0 ? (deltas.length * 1000) / total : 0 };
  })()`) as Promise<FrameStats>;
}

const SCROLL = `async () => {
  const list = document.querySelector('.event-list');
  for (let i = 0; i < 240; i++) {
    // Big jumps (a fling, a dragged scrollbar) and small steps (a wheel).
    list.scrollTop = i % 40 === 0 ? Math.random() * (list.scrollHeight - list.clientHeight) : list.scrollTop + 120;
    await new Promise((r) => requestAnimationFrame(r));
  }
}`;

/** Records, per keystroke, the time from the key event to after the next painted frame. */
const KEY_TIMER = `(() => {
  window.keyTimes = [];
  document.addEventListener('keydown', (event) => {
    const start = event.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.keyTimes.push(performance.now() - start), 0));
  }, true);
})()`;

const percentile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

async function main(): Promise<void> {
  const uiDir = await mkdtemp(join(tmpdir(), 'herald-bench-ui-'));
  const benchDir = await mkdtemp(join(tmpdir(), 'herald-bench-entry-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-bench-data-'));
  await buildRenderer({ outDir: uiDir });
  await buildRenderer({ outDir: benchDir, entry: join(ROOT, 'renderer', 'memory-entry.ts') });
  const statics = await serveStatic(benchDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const rows: Array<[string, string]> = [];
  try {
    const openTimes: number[] = [];
    const domRows: number[] = [];
    let scroll: FrameStats | null = null;
    let live50: FrameStats | null = null;
    let live1000: FrameStats | null = null;
    let liveCount = 0;
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${statics.url}/#history=${HISTORY}&view=events`);
      await page.waitForFunction('window.heraldBench && window.heraldBench.openMs !== null', undefined, { timeout: 60_000 });
      openTimes.push(Number(await page.evaluate('window.heraldBench.openMs')));
      domRows.push(Number(await page.evaluate('window.heraldBench.rowsInDom()')));
      if (run === RUNS - 1) {
        scroll = await frameStats(page, SCROLL);
        await page.evaluate(`document.querySelector('.event-list').scrollTop = 0`);
        const before = Number(await page.evaluate('window.heraldBench.listLength()'));
        live50 = await frameStats(page, '() => window.heraldBench.live(250, 20)');
        await page.waitForTimeout(100);
        liveCount = Number(await page.evaluate('window.heraldBench.listLength()')) - before;
        live1000 = await frameStats(page, '() => window.heraldBench.live(3000, 1)');
      }
      await page.close();
    }

    // Search with 20,000 topics in the side list.
    const keystrokes: number[] = [];
    const firstKeys: number[] = [];
    const warmedAfter: number[] = [];
    const topicCards: number[] = [];
    const elements: number[] = [];
    const found: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${statics.url}/#history=${TOPICS}&topics=${TOPICS}&view=events`);
      await page.waitForFunction('window.heraldBench && window.heraldBench.openMs !== null', undefined, { timeout: 120_000 });
      // A reader types once the window has settled: the search text is made in idle time
      // after the rows arrive; how long after the first frame that took is reported.
      const warmed = await page.waitForFunction('window.heraldBench.searchPending() === 0 && performance.now()', undefined, { timeout: 120_000, polling: 10 });
      warmedAfter.push(Number(await warmed.jsonValue()));
      topicCards.push(Number(await page.evaluate('window.heraldBench.topicCardsInDom()')));
      elements.push(Number(await page.evaluate('window.heraldBench.nodesInDom()')));
      await page.evaluate(KEY_TIMER);
      await page.focus('input.search');
      await page.keyboard.type(SEARCH, { delay: 120 });
      await page.waitForFunction(`window.keyTimes.length >= ${SEARCH.length}`, undefined, { timeout: 120_000 });
      const [first, ...rest] = (await page.evaluate('window.keyTimes')) as number[];
      firstKeys.push(first ?? NaN);
      keystrokes.push(...rest);
      found.push(String(await page.evaluate(`[...document.querySelectorAll('.event-row .row-topic')].map((e) => e.textContent).join(' ')`)));
      await page.close();
    }

    // The overview: 100,000 events from 50 sources, then 50 events/s arriving.
    const overviewOpen: number[] = [];
    const overviewCards: string[] = [];
    let overviewLive: FrameStats | null = null;
    let overviewBurst: FrameStats | null = null;
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${statics.url}/#history=${HISTORY}&sources=${SOURCES}`);
      await page.waitForFunction('window.heraldBench && window.heraldBench.openMs !== null', undefined, { timeout: 120_000 });
      overviewOpen.push(Number(await page.evaluate('window.heraldBench.openMs')));
      overviewCards.push(`${await page.evaluate('window.heraldBench.cardsInDom()')} cards, ${await page.evaluate('window.heraldBench.chartsDrawn()')} charts drawn`);
      if (run === RUNS - 1) {
        overviewLive = await frameStats(page, '() => window.heraldBench.live(250, 20)');
        overviewBurst = await frameStats(page, '() => window.heraldBench.live(3000, 1)');
      }
      await page.close();
    }

    // The web dashboard against a real server: replay of a 20,000-event log.
    const server = await createHeraldServer({
      port: 0,
      dataDir,
      retention: { maxEventsPerTopic: REPLAY },
      plugins: [dashboardPlugin({ dir: uiDir })],
      onError: () => {},
    });
    for (let i = 0; i < REPLAY; i++) {
      await server.publisher.publish({ type: 'notify', data: { topic: `replay/${i % 20}`, time: Date.now(), body: `message ${i}`, priority: 3, tags: [] } });
    }
    const replayTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // bypassCSP: the page's policy forbids eval, which Playwright's string predicates use.
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      const started = Date.now();
      await page.goto(`${server.url}/#view=events`);
      await page.waitForFunction(`Number(document.querySelector('.event-row')?.getAttribute('aria-setsize')) >= ${REPLAY}`, undefined, { timeout: 120_000, polling: 50 });
      replayTimes.push(Date.now() - started);
      await page.close();
    }
    await server.close();

    rows.push(
      [`open ${HISTORY.toLocaleString('en')} stored events (median of ${RUNS})`, `${Math.round(median(openTimes))} ms (runs: ${openTimes.map(Math.round).join(', ')})`],
      ['rows in the DOM with 100,000 in the list', String(median(domRows))],
      [`scroll through them (${scroll?.frames} frames)`, `frame p50 ${round(scroll!.p50)} ms, p95 ${round(scroll!.p95)} ms, max ${round(scroll!.max)} ms, ${scroll!.long} over 50 ms`],
      [`live 50 events/s for 5 s (${liveCount} shown of 250)`, `frame p50 ${round(live50!.p50)} ms, p95 ${round(live50!.p95)} ms, max ${round(live50!.max)} ms, ${live50!.long} over 50 ms`],
      ['live burst: 3,000 events at up to 1,000/s', `frame p50 ${round(live1000!.p50)} ms, p95 ${round(live1000!.p95)} ms, max ${round(live1000!.max)} ms, ${live1000!.long} over 50 ms`],
      [`web dashboard: ${REPLAY.toLocaleString('en')}-event log replayed from herald serve (median of ${RUNS})`, `${Math.round(median(replayTimes))} ms from navigation to all in the list (runs: ${replayTimes.join(', ')})`],
      [`search keystroke with ${TOPICS.toLocaleString('en')} topics ("${SEARCH}" typed, ${RUNS} runs): first keystroke, typed once the search text of every event was made in idle time (done ${warmedAfter.map(Math.round).join(', ')} ms after navigation)`, `key to painted frame ${firstKeys.map(Math.round).join(', ')} ms`],
      [`search keystroke with ${TOPICS.toLocaleString('en')} topics: the ${keystrokes.length} later keystrokes`, `key to painted frame p50 ${round(percentile(keystrokes, 0.5))} ms, p95 ${round(percentile(keystrokes, 0.95))} ms, max ${round(Math.max(...keystrokes))} ms; list shows: ${[...new Set(found)].join(' | ')}`],
      [`topic cards / elements in the DOM with ${TOPICS.toLocaleString('en')} topics`, `${median(topicCards)} / ${median(elements)}`],
      [`overview: open ${HISTORY.toLocaleString('en')} stored events of ${SOURCES} sources, cards and charts in view drawn (median of ${RUNS})`, `${Math.round(median(overviewOpen))} ms (runs: ${overviewOpen.map(Math.round).join(', ')}; ${overviewCards[0]})`],
      ['overview: live 50 events/s for 5 s', `frame p50 ${round(overviewLive!.p50)} ms, p95 ${round(overviewLive!.p95)} ms, max ${round(overviewLive!.max)} ms, ${overviewLive!.long} over 50 ms; ${round(overviewLive!.fps)} fps over ${overviewLive!.frames} frames`],
      ['overview: live burst, 3,000 events at up to 1,000/s', `frame p50 ${round(overviewBurst!.p50)} ms, p95 ${round(overviewBurst!.p95)} ms, max ${round(overviewBurst!.max)} ms, ${overviewBurst!.long} over 50 ms`],
    );
    // The load average says how much else the machine was doing: frame times are wall-clock.
    const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${osType()} ${release()}, Node ${process.version}, Chromium ${browser.version()} (headless, no GPU), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`;
    const table = ['| measure | result |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
    const report = `# Renderer benchmark\n\n${new Date().toISOString().slice(0, 10)}, ${machine}.\nReproduce: \`node bench/renderer-bench.ts\`.\n\n${table}\n\nTargets: 100,000 events open in under 300 ms; scrolling stays smooth (frames near 16.7 ms, none long); 50 events/s live do not freeze the window (updates are batched per animation frame); a search keystroke with 20,000 topics paints in under 50 ms; the overview of 50 sources opens in under 500 ms and keeps 60 fps (16.7 ms frames) with 50 events/s.\n`;
    console.log(report);
    await writeFile(join(ROOT, 'bench', 'results', 'renderer.md'), report);
  } finally {
    await browser.close();
    await statics.close();
    for (const dir of [uiDir, benchDir, dataDir]) await rm(dir, { recursive: true, force: true });
  }
}

await main();
